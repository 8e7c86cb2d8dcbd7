"""PDF rendering of collection letters and the creditor's collection list (SPEC D4, C9).

Typst templates in templates/ (wording in nb.typ and en.typ) fill in the data of a
`Letter` or `CollectionList`; docs/letters.md says what each letter says and why.
"""

from fordring.adapters.pdf.renderer import (
    RenderError,
    TypstLetterRenderer,
    render_collection_list,
    render_letter,
    render_letters,
)

__all__ = [
    "RenderError",
    "TypstLetterRenderer",
    "render_collection_list",
    "render_letter",
    "render_letters",
]
