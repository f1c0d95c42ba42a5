"""The app's pages, declared once: the navigation, the tests, the benchmarks and the load script read this list.

No Streamlit here, so anything can import it. `url_path` is what follows the app's root in a link
('' for the default page); `script` is the file under web/views/ that draws the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

VIEWS_DIR = Path(__file__).resolve().parent / "views"


@dataclass(frozen=True)
class Page:
    name: str  # short id: keys, file names, test ids
    title: str
    icon: str
    url_path: str  # '' for the default page
    heading: str  # the page's own title, as a reader sees it at the top

    @property
    def script(self) -> Path:
        return VIEWS_DIR / f"{self.name}.py"

    @property
    def default(self) -> bool:
        return self.url_path == ""


PAGES = (
    Page("overview", "Overview", ":material/monitoring:", "", "Shell Count"),
    Page("output", "Output", ":material/factory:", "output", "Output, capacity and targets"),
    Page("claims", "Claims", ":material/record_voice_over:", "claims", "Claims"),
    Page("data", "Data", ":material/table:", "data", "Data"),
    Page("method", "Method & sources", ":material/menu_book:", "method", "Method & sources"),
    Page("contribute", "Contribute", ":material/edit_note:", "contribute", "Contribute a row"),
)
BY_NAME = {page.name: page for page in PAGES}
URL_PATHS = frozenset(page.url_path for page in PAGES)  # what may follow the app's root in a link
