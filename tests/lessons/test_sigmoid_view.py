"""Where the examples go on the Classification tab's sigmoid plot (issue 16, item 7): the
range widens to hold them; those beyond the widest are marked at the edge, with a note."""

from __future__ import annotations

import itertools

import numpy as np

from optgui.core import datasets
from optgui.core.models import Perceptron
from optgui.core.training import TrainSettings, train
from optgui.lessons import classification as lesson


def test_the_issue_example_is_drawn_where_it_is():
    """The aliens after 300 steps: z = 10.65 was drawn at 8."""
    data, model = datasets.aack_beep(), Perceptron(2)
    run = train(model, data.X, data.y, model.initial_params("course", 3), TrainSettings(0.5))
    record = list(itertools.islice(run, 300))[-1]
    z = record.forward.z
    assert z.max() > 10.6
    view = lesson.sigmoid_view(z)
    assert view.limit >= z.max() and view.limit == 12
    assert view.z.tolist() == z.tolist() and not view.clipped.any() and view.note == ""


def test_the_range_is_the_first_that_holds_every_example():
    assert lesson.sigmoid_view(np.array([-3.0, 7.9])).limit == 8
    assert lesson.sigmoid_view(np.array([-12.5, 1.0])).limit == 16
    assert lesson.sigmoid_view(np.array([19.0])).limit == 20


def test_beyond_the_widest_range_examples_are_marked_at_the_edge():
    view = lesson.sigmoid_view(np.array([30.0, -45.0, 2.0, np.inf]))
    assert view.limit == 20
    assert view.z.tolist() == [20.0, -20.0, 2.0, 20.0]
    assert view.clipped.tolist() == [True, True, False, True]
    assert view.note == "▶ 3 examples with |z| > 20 are drawn at the edge"
    one = lesson.sigmoid_view(np.array([21.0, 0.0]))
    assert one.note == "▶ 1 example with |z| > 20 is drawn at the edge"
