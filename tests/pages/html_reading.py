"""Reading rendered pages in tests: elements, attributes, text, select choices."""
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "source", "track", "wbr"}


@dataclass
class Element:
    """One element: tag, attributes, the text inside it and its children."""

    tag: str
    attrs: dict
    children: list = field(default_factory=list)
    parts: list = field(default_factory=list)  # text and child elements, in order

    @property
    def text(self) -> str:
        pieces = [p if isinstance(p, str) else p.text for p in self.parts]
        return re.sub(r"\s+", " ", "".join(pieces)).strip()

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list["Element"]:
        """Descendants (and self) with this tag and these attribute values (True: present)."""
        found = []
        for element in self.iter():
            if tag and element.tag != tag:
                continue
            if all((name.rstrip("_").replace("_", "-") in element.attrs) if value is True
                   else element.attrs.get(name.rstrip("_").replace("_", "-")) == value
                   for name, value in attrs.items()):
                found.append(element)
        return found

    def find(self, tag: str | None = None, **attrs) -> "Element":
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()

    def by_class(self, name: str) -> list["Element"]:
        return [e for e in self.iter() if e.has_class(name)]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: (value if value is not None else "") for name, value in attrs})
        self.stack[-1].children.append(element)
        self.stack[-1].parts.append(element)
        if tag not in VOID_TAGS:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].parts.append(data)


def parse(html: str | bytes) -> Element:
    """The page as a tree of elements."""
    builder = _TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root


def page_text(html: str | bytes) -> str:
    """All visible text of a page with white space folded."""
    return parse(html).text


def region_selects(page: Element) -> list[dict]:
    """Each region select of the directory form: chosen code, option codes, disabled."""
    selects = []
    for select in page.find_all("select", name="region_code"):
        options = select.find_all("option")
        selects.append({
            "chosen": next((o.attrs["value"] for o in options if "selected" in o.attrs), ""),
            "options": [o.attrs["value"] for o in options if o.attrs.get("value")],
            "names": [o.text for o in options if o.attrs.get("value")],
            "disabled": "disabled" in select.attrs,
        })
    return selects


def result_ids(page: Element) -> list[int]:
    """Ids of the institutions listed on a directory page, in order."""
    return [int(e.attrs["data-institution-id"]) for e in page.find_all("li", data_institution_id=True)]


def result_total(page: Element) -> int:
    """The total number of results a directory page announces."""
    return int(page.find(id="result-summary").attrs["data-total"])


def csrf_token_in(html: str | bytes) -> str:
    """The value of a page's hidden ``csrf_token`` input (the first one, if there are several)."""
    return parse(html).find("input", name="csrf_token").attrs["value"]
