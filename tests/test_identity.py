"""One look per subject, measure and speaker side, declared once: complete, distinct, never colour alone."""

from dashboard.analysis.output_series import CHARTED
from dashboard.data.schema import reference_package
from dashboard.present import identity


def test_every_subject_and_side_of_the_schema_has_a_look():
    claims = reference_package().claims
    assert set(claims.field("subject").enum) <= set(identity.SUBJECT_LOOK)
    assert set(claims.field("speaker_side").enum) <= set(identity.SIDE_LOOK) == set(identity.SIDE_NAMES)


def test_looks_are_distinct_so_colour_is_never_the_only_signal():
    looks = list(identity.SUBJECT_LOOK.values())
    assert len({(look.color, look.symbol) for look in looks}) == len(looks)
    same_colour = {}
    for look in looks:
        same_colour.setdefault(look.color, set()).add(look.symbol)
    assert all(len(symbols) == len([x for x in looks if x.color == colour]) for colour, symbols in same_colour.items())
    assert len({look.symbol for look in identity.SIDE_LOOK.values()}) == len(identity.SIDE_LOOK)


def test_every_charted_measure_has_its_own_mark_and_line():
    styles = [identity.MEASURE_STYLE[m] for m in CHARTED]
    assert len({(s.symbol_suffix, s.dash) for s in styles}) == len(styles)
    assert set(identity.MAIN_SUBJECTS) <= set(identity.SUBJECT_LOOK) and len(identity.MAIN_SUBJECTS) <= 8
