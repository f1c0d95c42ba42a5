"""Property-based tests: whatever the input, the validator, the loader and the URL-state parser answer with
a verdict (valid, or problems / notices), never an exception.

Rows are drawn from the schema's own types and enums mixed with garbage strings; files are random bytes or
good files with random bytes spliced in; query strings carry repeated keys, 10,000-character values, control
characters and unknown keys. Each property runs ~150 examples so the file stays well under a minute.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.analysis.filters import BY_NAME, BY_URL_KEY, MAX_SEARCH_LENGTH
from dashboard.data.arrowcsv import read_plain
from dashboard.data.csvfile import Problem, decode
from dashboard.data.csvfile import parse as csv_parse
from dashboard.data.load import LoadResult, load_dataset
from dashboard.data.schema import Field, read_package
from dashboard.data.validate import Report, validate_dataset
from dashboard.present.url_state import ViewState, allowed_values, parse, to_query
from tests.conftest import GOOD

PACKAGE = read_package(GOOD)
ENUMS = allowed_values(PACKAGE)
pytestmark = pytest.mark.slow  # hundreds of generated datasets; `pytest -m "not slow"` skips them
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that a hand-edited CSV or a URL may carry: quotes, separators, line breaks, control characters, HTML.
NASTY = st.sampled_from(["", " ", ",", '"', '""', "\n", "\r", "\r\n", "\x00", "\x1b[2J", "\ufeff", "\u2028", "NaN",
                         "inf", "-1", "1e400", "1,000", "2025-02-30", "<script>x</script>", "=1+1", "../../x.txt",
                         "javascript:alert(1)", "https://192.0.2.1/", "é", "\ud7ff"])  # fmt: skip
GARBAGE = st.one_of(NASTY, st.text(max_size=40), st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40))


# ---- scratch folders ----------------------------------------------------------------------------------------
@contextmanager
def scratch() -> Iterator[Path]:
    """A fresh writable copy of tests/data/good per example (hypothesis and function-scoped fixtures do not mix)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "dataset"
        shutil.copytree(GOOD, folder)
        yield folder


def check_outcomes(folder: Path) -> None:
    """The only allowed outcomes: a report (valid, or problems on one line each) and a load result."""
    report = validate_dataset(folder)
    assert isinstance(report, Report)
    assert report.valid == (not report.problems)
    for problem in report.problems:
        assert isinstance(problem, Problem) and isinstance(problem.line, int) and problem.line >= 1
        assert problem.message and "\n" not in str(problem) and "\r" not in str(problem)
    result = load_dataset(folder)
    assert isinstance(result, LoadResult)
    assert result.dataset is not None or result.problems


# ---- random rows ------------------------------------------------------------------------------------------
def cell(field: Field) -> st.SearchStrategy[str]:
    if field.enum:
        typed = st.sampled_from(field.enum)
    elif field.type == "date":
        typed = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
    elif field.type == "number":
        typed = st.one_of(
            st.integers(min_value=0, max_value=10**16).map(str),
            st.floats(allow_nan=True, allow_infinity=True).map(repr),
            st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
        )
    elif field.name in ("claim_id", "source_id", "language"):
        typed = st.from_regex(field.pattern, fullmatch=True)
    elif field.name == "url":
        typed = st.builds(
            lambda host, path: f"https://{host}.org/{path}",
            st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
            st.text(max_size=20),
        )
    else:
        typed = st.text(max_size=80)
    return st.one_of(st.just(""), typed, GARBAGE)


def rows_of(resource) -> st.SearchStrategy[list[dict[str, str]]]:
    return st.lists(st.fixed_dictionaries({f.name: cell(f) for f in resource.fields}), max_size=6)


def write_csv(file: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    file.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))


@FAST
@given(rows=rows_of(PACKAGE.claims))
def test_random_claim_rows(rows: list[dict[str, str]]) -> None:
    with scratch() as folder:
        header = list(PACKAGE.claims.field_names)
        write_csv(folder / "claims.csv", header, [[r[name] for name in header] for r in rows])
        check_outcomes(folder)


@FAST
@given(rows=rows_of(PACKAGE.sources))
def test_random_source_rows(rows: list[dict[str, str]]) -> None:
    with scratch() as folder:
        header = list(PACKAGE.sources.field_names)
        write_csv(folder / "sources.csv", header, [[r[name] for name in header] for r in rows])
        check_outcomes(folder)


@FAST
@given(
    header=st.lists(st.one_of(st.sampled_from(PACKAGE.claims.field_names), GARBAGE), max_size=25),
    rows=st.lists(st.lists(GARBAGE, max_size=25), max_size=4),
)
def test_random_header_and_ragged_rows(header: list[str], rows: list[list[str]]) -> None:
    with scratch() as folder:
        write_csv(folder / "claims.csv", header, rows)
        check_outcomes(folder)


# ---- random bytes -----------------------------------------------------------------------------------------
FILES = ("claims.csv", "sources.csv", "datapackage.json")


@st.composite
def spliced(draw: st.DrawFn, name: str) -> bytes:
    """The good file with a few random byte edits: mostly-valid input reaches the deeper checks."""
    data = bytearray((GOOD / name).read_bytes())
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        cut = draw(st.integers(min_value=0, max_value=8))
        data[at : at + cut] = draw(st.binary(max_size=8))
    return bytes(data)


@FAST
@given(name=st.sampled_from(FILES), data=st.data())
def test_random_bytes(name: str, data: st.DataObject) -> None:
    content = data.draw(st.one_of(st.binary(max_size=2000), spliced(name)), label="content")
    with scratch() as folder:
        (folder / name).write_bytes(content)
        check_outcomes(folder)


@FAST
@given(text=st.text(max_size=400))
def test_random_text_as_claims(text: str) -> None:
    with scratch() as folder:
        (folder / "claims.csv").write_bytes(text.encode("utf-8", "surrogatepass"))
        check_outcomes(folder)


# ---- the fast CSV reader -------------------------------------------------------------------------------
PLAIN_CELL = st.text(alphabet=st.sampled_from(["a", "b", " ", "é", "\x0b", "\u2028"]), max_size=5)
QUOTED_CELL = st.lists(st.sampled_from(["a", ",", '""', "\n", "\r\n", "\r", " ", "é"]), max_size=6).map(
    lambda parts: '"' + "".join(parts) + '"'
)
CELL = st.one_of(st.just(""), PLAIN_CELL, QUOTED_CELL)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """Mostly well-formed CSV (so the fast reader runs), with a stray character spliced in now and then."""
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    width = draw(st.integers(min_value=1, max_value=4))
    rows = draw(st.lists(st.lists(CELL, min_size=1, max_size=5).map(",".join), max_size=5))
    text = newline.join([",".join(f"h{i}" for i in range(width)), *rows]) + draw(st.sampled_from([newline, ""]))
    if draw(st.booleans()):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(st.sampled_from(['"', "\n", "\r", ",", " ", "x", "\x00"])) + text[at:]
    return text.encode("utf-8")


@settings(max_examples=500, deadline=None)
@given(data=st.one_of(csv_files(), st.binary(max_size=60)))
def test_fast_reader_agrees_with_the_careful_one_or_steps_aside(data: bytes) -> None:
    """Whatever the bytes, the fast reader's table is the careful reader's, or it leaves the file to it."""
    fast = read_plain("f.csv", data)
    if fast is not None:
        text, problems = decode("f.csv", data)
        assert text is not None and not problems
        assert fast == csv_parse("f.csv", text)


# ---- URL state -------------------------------------------------------------------------------------------
ENUM_LISTS = (
    st.sampled_from(sorted(ENUMS)).flatmap(lambda k: st.lists(st.sampled_from(ENUMS[k]), max_size=4)).map(",".join)
)
QUERY_VALUE = st.one_of(
    st.text(max_size=30),
    ENUM_LISTS,
    st.dates().map(date.isoformat),
    st.sampled_from(
        [*BY_NAME["scale"].choices, "", "x" * 10_000, "\x00", "a\nb", "\x1b[31m", "2025-02-30", "20240101"]
    ),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=5),
)
QUERY = st.dictionaries(
    keys=st.one_of(st.sampled_from(list(BY_URL_KEY)), st.text(max_size=12)),
    values=st.lists(QUERY_VALUE, max_size=3),  # more than one value = a repeated key
    max_size=8,
)


def assert_valid_state(state: ViewState) -> None:
    for name, allowed in ENUMS.items():
        values = getattr(state, name)
        assert set(values) <= set(allowed) and len(values) == len(set(values))
    assert state.scale in BY_NAME["scale"].choices
    assert len(state.q) <= MAX_SEARCH_LENGTH
    assert state.start is None or isinstance(state.start, date)
    assert state.end is None or isinstance(state.end, date)
    if state.start and state.end:
        assert state.start <= state.end


@settings(max_examples=200, deadline=None)
@given(query=QUERY, keys=st.one_of(st.none(), st.lists(st.sampled_from(list(BY_URL_KEY)))))
def test_parse_never_raises_and_round_trips(query: dict[str, list[str]], keys: list[str] | None) -> None:
    state, notices = parse(query, PACKAGE, keys)
    assert isinstance(state, ViewState) and all(isinstance(n, str) and len(n) < 200 for n in notices)
    assert_valid_state(state)
    # whatever parse produced is a valid state: written back and read again, it is the same, without notices
    again = parse({k: [v] for k, v in to_query(state, keys).items()}, PACKAGE, keys)
    assert again == (state, [])


@settings(max_examples=150, deadline=None)
@given(
    subject=st.lists(st.sampled_from(ENUMS["subject"]), unique=True),
    measure=st.lists(st.sampled_from(ENUMS["measure"]), unique=True),
    start=st.one_of(st.none(), st.dates()),
    days=st.integers(min_value=0, max_value=5000),
    scale=st.sampled_from(BY_NAME["scale"].choices),
    q=st.text(alphabet=st.characters(min_codepoint=0x20, exclude_categories=("Cc", "Cs")), max_size=MAX_SEARCH_LENGTH),
)
def test_valid_states_round_trip(subject, measure, start, days, scale, q) -> None:
    from datetime import timedelta

    end = None if start is None or start.toordinal() + days > date.max.toordinal() else start + timedelta(days=days)
    state = ViewState(subject=tuple(subject), measure=tuple(measure), start=start, end=end, scale=scale, q=q)
    assert parse({k: [v] for k, v in to_query(state).items()}, PACKAGE) == (state, [])
