"""Keep schemathesis 3.x generating objects under recent Hypothesis releases.

hypothesis-jsonschema (which schemathesis 3.x uses to build request bodies) drives
Hypothesis's private ``many`` helper with ``while elements.more():``. Recent Hypothesis
releases replaced ``more()`` with a ``with many(...) as elements: for _ in elements:``
protocol, so every object schema fails with ``AttributeError: 'many' object has no attribute
'more'``. This restores ``more()`` on top of the new protocol, only when it is missing.
Remove it once hypothesis-jsonschema follows, or when schemathesis 4 (which dropped
hypothesis-jsonschema) replaces 3.x here.
"""
from hypothesis.internal.conjecture import utils as conjecture_utils


def _more(self) -> bool:
    """Whether to draw one more element (the pre-context-manager protocol)."""
    if self._depth is None:          # first call: what ``__enter__`` would have done
        self._depth = self.data.depth
    self._finish_element()
    if not self._decide():
        self._closed = True
        return False
    self.count += 1
    self._in_element = True
    self._rejected = False
    return True


if not hasattr(conjecture_utils.many, "more"):
    conjecture_utils.many.more = _more
