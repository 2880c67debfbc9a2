"""The inverted-index peer of the benchmarks: tantivy BM25 over pre-tokenised documents."""
from collections.abc import Iterable


class TokenIndex:
    """Documents given as token lists, searched with BM25; answers document numbers."""

    def __init__(self, documents: Iterable[list[str]], heap_size: int = 300_000_000):
        import tantivy

        schema = tantivy.SchemaBuilder()
        schema.add_integer_field("doc", stored=True)
        schema.add_text_field("tokens", stored=False)
        self.index = tantivy.Index(schema.build())
        writer = self.index.writer(heap_size=heap_size, num_threads=1)
        for number, tokens in enumerate(documents):
            writer.add_document(tantivy.Document(doc=number, tokens=" ".join(tokens)))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, tokens: list[str], limit: int = 200) -> list[int]:
        """Numbers of the best documents for any of ``tokens`` (alphanumeric only)."""
        tokens = [t for t in tokens if t.isalnum()]
        if not tokens:
            return []
        hits = self.searcher.search(self.index.parse_query(" ".join(tokens), ["tokens"]), limit).hits
        return [self.searcher.doc(address)["doc"][0] for _, address in hits]
