"""Output: views as stable JSON and as aligned text tables, what changed in a log as JSON and as
text, and text made safe for a terminal.
"""

from negotiations.render._changes import changes_to_json, changes_to_text
from negotiations.render._json import views_to_json
from negotiations.render._tables import table
from negotiations.render._terminal import printable, printable_json
from negotiations.render._text import views_to_text

__all__ = [
    "changes_to_json",
    "changes_to_text",
    "printable",
    "printable_json",
    "table",
    "views_to_json",
    "views_to_text",
]
