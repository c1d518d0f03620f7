import pytest

from menage.platform.ecoindex import DOM, ecoindex, rank


@pytest.mark.parametrize(
    ("dom", "requests", "size_kb", "score", "grade"),
    [
        pytest.param(51, 3, 2.96, 95, "A", id="stack-md-sample-page"),
        pytest.param(0, 0, 0, 100, "A", id="empty"),
        pytest.param(10**7, 10**5, 10**7, 0, "G", id="beyond-every-table"),
        pytest.param(400, 5, 50, 80, "B", id="exactly-80-is-not-A"),
        pytest.param(2479, 281, 8037.54, 5, "G", id="last-quantiles"),
    ],
)
def test_known_scores(dom, requests, size_kb, score, grade):
    result = ecoindex(dom, requests, size_kb)
    assert (result.score, result.grade) == (score, grade)


def test_ranks_interpolate_between_quantiles():
    assert rank(47, DOM) == 1.0
    assert rank(61, DOM) == pytest.approx(1.5)
    assert rank(594601, DOM) == 20.0


def test_footprint_follows_the_score():
    assert ecoindex(51, 3, 2.96).ghg_g == pytest.approx(2 + 2 * (50 - 95) / 100)
    assert ecoindex(51, 3, 2.96).water_cl == pytest.approx(3 + 3 * (50 - 95) / 100)
