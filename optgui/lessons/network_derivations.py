"""The 2-2-1 Network's derivations: backpropagation in the slides' layers, σ′ and the
log loss at the output, with the shown example's numbers (Qt-free)."""

from __future__ import annotations

import numpy as np

from optgui.core.datasets import Dataset
from optgui.core.format import fmt
from optgui.core.models import Backward, Network
from optgui.core.training import TrainStep
from optgui.lessons.arithmetic import Line as Ln
from optgui.lessons.arithmetic import digits_for
from optgui.lessons.derivation import Derivation, Line, Table, derivation
from optgui.lessons.network import (
    ACTIVATION_CHOICES,
    choice_text,
    hidden_unit,
    pretty,
    sharers,
)
from optgui.lessons.notation import html_symbol, subscript, tex_matrix, tex_symbol
from optgui.lessons.sigmoid_derivations import (
    GIVEN,
    RESULT,
    Input,
    Unit,
    log_loss_derivation,
    num,
    sigmoid_derivation,
)

LAYERS_TITLE = "Backpropagation in layers [1], [2], [3]"
LAYERS_SLIDES = "“Back Propagation Introduction”"
LAYERS_NOTE = (
    "As on the slides, the input is layer [1] (many books call it [0]). "
    "δ<sup>[l]</sup> = ∂L/∂z<sup>[l]</sup> names the product the slides box."
)
LOG_LOSS_TITLE = "Log loss at the output: ∂L/∂w₁ = −(y − ŷ)·a₁"
LOG_LOSS_SLIDES = "“Classification with a Neural Network: Minimizing log-loss”"
#: The hidden activation in the slides' layer notation: a^[2] = act(z^[2]), ∂a^[2]/∂z^[2].
LAYER_ACTIVATION = {
    "sigmoid": (r"\sigma", r"a^{[2]}(1-a^{[2]})"),
    "tanh": (r"\tanh", r"1-(a^{[2]})^2"),
    "relu": (r"\mathrm{ReLU}", r"[z^{[2]}>0]"),
}


def example_name(data: Dataset, i: int) -> str:
    """'Example 3' (counted from 1, as everywhere), with its sentence if it has one."""
    label = data.row_labels[i] if data.row_labels is not None and i < len(data.row_labels) else ""
    return f"Example {i + 1}" + (f" (“{label}”)" if label else "")


def derivations(
    model: Network, record: TrainStep, data: Dataset, i: int, selected: str
) -> list[Derivation]:
    """The Derivation page's derivations for example ``i`` at step ``record``: the layers
    [1], [2], [3] (``selected``, the chain-rule page's parameter, lit up), the sigmoid's
    derivative at each sigmoid unit, and the log loss at the output unit."""
    X, y = data.X[i : i + 1], data.y[i : i + 1]
    back = model.backward(record.params, X, y)
    name = example_name(data, i)
    fwd = back.forward
    assert fwd.z is not None and fwd.hidden_z is not None and fwd.hidden_a is not None
    units = []
    if model.activation == "sigmoid":
        units = [
            Unit(f"Hidden unit {j + 1}", f"z{j + 1}", f"a{j + 1}", float(fwd.hidden_z[0, j]))
            for j in range(model.hidden)
        ]
    units.append(Unit("The output unit", "z", "ŷ", float(fwd.z[0])))
    act = choice_text(ACTIVATION_CHOICES, model.activation)
    sigmoid_note = (
        ""
        if model.activation == "sigmoid"
        else f"The hidden units use {act} here, not σ: only the output unit is a sigmoid."
    )
    inputs = [
        Input(f"w{j + 1}", f"a{j + 1}", float(fwd.hidden_a[0, j])) for j in range(model.hidden)
    ]
    return [
        layer_derivation(model, record, back, data.X[i], name, selected),
        sigmoid_derivation(units, name, sigmoid_note),
        log_loss_derivation(
            LOG_LOSS_TITLE,
            float(y[0]),
            float(fwd.z[0]),
            inputs,
            name,
            record.learning_rate,
            slides=LOG_LOSS_SLIDES,
        ),
    ]


def _column(values) -> str:
    return tex_matrix([[num(v)] for v in values])


def _row(values) -> str:
    return tex_matrix([[num(v) for v in values]])


def _names_column(names) -> str:
    return tex_matrix([[tex_symbol(n)] for n in names])


def layer_derivation(
    model: Network, record: TrainStep, back: Backward, x: np.ndarray, name: str, selected: str
) -> Derivation:
    """Backpropagation in the slides' layers [1] (input), [2] (hidden), [3] (output), with
    the numbers of ``back`` (the core's backward pass of one example, ``name``)."""
    h = model.hidden
    assert back.dL_dhidden_z is not None
    d3 = float(back.dL_dz[0])
    d2 = back.dL_dhidden_z[0]
    act, slope = LAYER_ACTIVATION[model.activation]
    j_range = range(1, h + 1)
    w_in = [[f"w1{j}", f"w2{j}"] for j in j_range]
    app_hidden = ", ".join(html_symbol(n) for n in [*sum(w_in, []), *(f"b{j}" for j in j_range)])

    def app(head: str) -> str:
        """The app's names of a layer's values: 'z' → z₁, z₂ (HTML)."""
        return ", ".join(html_symbol(f"{head}{j}") for j in j_range)

    # every number written with the digits it takes for the shown terms of each line to
    # give its shown result (a vector's entries each their own)
    t = _written_layers(model, record, back, x)
    d3_num = t["d3"]

    def p(top: str, bottom: str) -> str:
        return rf"\dfrac{{\partial {top}}}{{\partial {bottom}}}"

    L, a3, z3t = "L", "a^{[3]}", "z^{[3]}"  # noqa: N806 - the slides' L
    w3, b3, a2t, z2t, w2t = "w^{[3]}", "b^{[3]}", "a^{[2]}", "z^{[2]}", "w^{[2]}"
    unit = hidden_unit(selected)
    highlight = 0 if unit is None else unit
    if selected.startswith("b"):  # ∂z/∂b = 1
        local_tex, local_text = "1", "1"
    elif unit is None:  # an output weight w_j: ∂z^[3]/∂w_j = a_j
        local_tex, local_text = tex_symbol(f"a{selected[1:]}"), t[f"a{selected[1:]}"]
    else:  # a hidden weight w_ij: ∂z_j/∂w_ij = x_i
        local_tex, local_text = tex_symbol(f"x{selected[1]}"), t[f"x{selected[1]}"]
    shared_tex = r"\delta^{[3]}" if unit is None else rf"\delta^{{[2]}}_{{{unit}}}"
    shared_text = t["d3"] if unit is None else t[f"d2{unit}"]
    # (a bias's gradient is its δ: local factor 1)
    result_text = shared_text if selected.startswith("b") else t["g" + selected]
    lines: list[Line | Table] = [
        Line(
            "The slides number the layers: [1] the input, [2] the hidden layer, [3] the "
            "output; a<sup>[l]</sup> is what layer l passes on. So a<sup>[1]</sup> = x and "
            f"a<sup>[3]</sup> = ŷ. {name}:",
            rf"a^{{[1]}} = x = {_names_column(['x1', 'x2'])} = {_texts_column(t, 'x1', 'x2')}",
        ),
        Line(
            f"Layer [2] holds the app's {app_hidden}: row j of W<sup>[2]</sup> is the "
            "weights into hidden unit j.",
            rf"W^{{[2]}} = {tex_matrix([[tex_symbol(n) for n in row] for row in w_in])} "
            rf"= {tex_matrix([[t[n] for n in row] for row in w_in])},\quad "
            rf"b^{{[2]}} = {_names_column([f'b{j}' for j in j_range])} = "
            rf"{_texts_column(t, *(f'b{j}' for j in j_range))}",
        ),
        Line(
            f"Forward through layer [2]: z<sup>[2]</sup> holds the app's "
            f"{app('z')}, a<sup>[2]</sup> its "
            f"{app('a')}.",
            rf"z^{{[2]}} = W^{{[2]}}a^{{[1]}} + b^{{[2]}} = "
            rf"{_texts_column(t, *(f'z{j}' for j in j_range))},\quad "
            rf"a^{{[2]}} = {act}(z^{{[2]}}) = {_texts_column(t, *(f'a{j}' for j in j_range))}",
        ),
        Line(
            f"Layer [3] holds the app's {app('w')} and b.",
            rf"W^{{[3]}} = {tex_matrix([[tex_symbol(f'w{j}') for j in j_range]])} = "
            rf"{tex_matrix([[t[f'w{j}'] for j in j_range]])},\quad b^{{[3]}} = b = {t['b']}",
        ),
        Line(
            "Forward through layer [3]: z<sup>[3]</sup> is the app's z, a<sup>[3]</sup> its ŷ.",
            rf"z^{{[3]}} = W^{{[3]}}a^{{[2]}} + b^{{[3]}} = {t['z']},\quad "
            rf"\hat{{y}} = a^{{[3]}} = \sigma(z^{{[3]}}) = {t['yhat']}",
        ),
        Line(
            "Backwards, the output layer first, as the slides write it:",
            rf"{p(L, w3)} = {p(z3t, w3)}\cdot{p(a3, z3t)}\cdot{p(L, a3)},\quad "
            rf"{p(L, b3)} = {p(z3t, b3)}\cdot{p(a3, z3t)}\cdot{p(L, a3)}",
        ),
        Line(
            "The last two factors are the same in both: compute their product once and call "
            "it δ<sup>[3]</sup>. The log loss's ŷ(1 − ŷ) cancels (see the log-loss derivation).",
            rf"\delta^{{[3]}} = {p(L, z3t)} = {p(a3, z3t)}\cdot{p(L, a3)} "
            rf"= \hat{{y}}(1-\hat{{y}})\cdot\dfrac{{-(y-\hat{{y}})}}{{\hat{{y}}(1-\hat{{y}})}} "
            rf"= -(y-\hat{{y}}) = -({t['y']}-{t['yhat']}) = {d3_num}",
        ),
        Line(
            "∂z<sup>[3]</sup>/∂W<sup>[3]</sup> = a<sup>[2]ᵀ</sup> and "
            "∂z<sup>[3]</sup>/∂b<sup>[3]</sup> = 1: the gradients of the app's "
            f"{app('w')} and b.",
            rf"{p(L, 'W^{[3]}')} = \delta^{{[3]}}\,a^{{[2]\top}} = {_paren(t['d3'])}\,"
            rf"{tex_matrix([[t[f'a{j}'] for j in j_range]])} = "
            rf"{tex_matrix([[t[f'gw{j}'] for j in j_range]])},"
            rf"\quad {p(L, b3)} = \delta^{{[3]}} = {t['d3']}",
        ),
        Line(
            "Layer [2], as the slides box it: the first two boxes are δ<sup>[3]</sup> again, "
            "already computed.",
            rf"{p(L, w2t)} = {p(L, a3)}\cdot{p(a3, z3t)}\cdot{p(z3t, a2t)}\cdot{p(a2t, z2t)}"
            rf"\cdot{p(z2t, w2t)} = \delta^{{[3]}}\cdot{p(z3t, a2t)}\cdot{p(a2t, z2t)}"
            rf"\cdot{p(z2t, w2t)}",
        ),
        Line(
            "∂z<sup>[3]</sup>/∂a<sup>[2]</sup> = W<sup>[3]</sup> and "
            f"∂a<sup>[2]</sup>/∂z<sup>[2]</sup> = {_slope_words(model.activation)}; with "
            "δ<sup>[3]</sup> they make δ<sup>[2]</sup>, again computed once for the whole "
            "layer (⊙: entry by entry).",
            rf"\delta^{{[2]}} = {p(L, z2t)} = (W^{{[3]\top}}\delta^{{[3]}})\odot {slope} "
            rf"= \left({_texts_column(t, *(f'w{j}' for j in j_range))}{_paren(t['d3'])}\right)"
            rf"\odot {_texts_column(t, *(f'da{j}' for j in j_range))} "
            rf"= {_texts_column(t, *(f'd2{j}' for j in j_range))}",
        ),
        Line(
            "Only the last factor is new for each weight: ∂z<sup>[2]</sup>/∂W<sup>[2]</sup> "
            f"= a<sup>[1]ᵀ</sup> = xᵀ. The gradients of the app's {app_hidden}:",
            rf"{p(L, 'W^{[2]}')} = \delta^{{[2]}}\,a^{{[1]\top}} "
            rf"= {_texts_column(t, *(f'd2{j}' for j in j_range))}"
            rf"{tex_matrix([[t['x1'], t['x2']]])} "
            rf"= {tex_matrix([[t['g' + n] for n in row] for row in w_in])},\quad "
            rf"{p(L, 'b^{[2]}')} = \delta^{{[2]}}",
        ),
        Line(
            "For any number of layers, backwards from the output, one δ per layer:",
            rf"\delta^{{[l]}} = (W^{{[l+1]\top}}\delta^{{[l+1]}})\odot {act}'(z^{{[l]}}),\quad "
            r"\dfrac{\partial L}{\partial W^{[l]}} = \delta^{[l]}\,a^{[l-1]\top},\quad "
            r"\dfrac{\partial L}{\partial b^{[l]}} = \delta^{[l]}",
        ),
        Table(
            ["δ = ∂L/∂z, once", "value", "reused by"],
            [
                [
                    "δ[3] (z)",
                    fmt(d3, GIVEN),
                    " ".join(pretty(n) for n in back.names if hidden_unit(n) is None) + " δ[2]",
                ],
                *(
                    [
                        f"δ[2]{subscript(j)} ({pretty(f'z{j}')})",
                        fmt(float(d2[j - 1]), GIVEN),
                        " ".join(pretty(n) for n in sharers(back.names, j)),
                    ]
                    for j in j_range
                ),
            ],
            highlight=highlight,
        ),
        Line(
            f"So every gradient is a local factor times one shared number. The selected "
            f"{html_symbol(selected)}, as on the Chain rule page:",
            rf"{p(L, tex_symbol(selected))} = {local_tex}\cdot{shared_tex} "
            rf"= {_paren(local_text)}\cdot{_paren(shared_text)} "
            rf"= {result_text}",
        ),
    ]
    note = LAYERS_NOTE
    if model.activation != "sigmoid":
        note += (
            f" The hidden units use {choice_text(ACTIVATION_CHOICES, model.activation)} here, "
            "not σ."
        )
    return derivation(LAYERS_TITLE, *lines, slides=LAYERS_SLIDES, note=note)


def _paren(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def _texts_column(texts: dict[str, str], *names: str) -> str:
    return tex_matrix([[texts[n]] for n in names])


def _written_layers(
    model: Network, record: TrainStep, back: Backward, x: np.ndarray
) -> dict[str, str]:
    """The layers' numbers for formulas, by name (x1, w12, b1, z1, a1, w1, b, z, y, yhat,
    d3, gw1, da1, d21, gw11 …): each with the digits it takes for every product and sum
    of the derivation, as written, to give its result as written."""
    h = model.hidden
    W1, b1, W2, b = model.unpack(record.params)
    fwd = back.forward
    assert fwd.hidden_z is not None and fwd.hidden_a is not None and back.da_dz is not None
    assert back.dL_dhidden_z is not None and fwd.z is not None
    grads = dict(zip(back.names, map(float, back.per_example_gradients[0]), strict=True))
    given: dict[str, float] = {"x1": float(x[0]), "x2": float(x[1]), "b": float(b)}
    results: dict[str, float] = {"z": float(fwd.z[0]), "d3": float(back.dL_dz[0])}
    given.update(y=float(back.y[0]), yhat=float(fwd.yhat[0]))
    for j in range(1, h + 1):
        given.update({f"w1{j}": W1[j - 1, 0], f"w2{j}": W1[j - 1, 1], f"b{j}": b1[j - 1]})
        given.update({f"w{j}": W2[j - 1], f"da{j}": back.da_dz[0, j - 1]})
        given.update({f"z{j}": fwd.hidden_z[0, j - 1], f"a{j}": fwd.hidden_a[0, j - 1]})
        results[f"gw{j}"] = grads[f"w{j}"]
        results[f"d2{j}"] = back.dL_dhidden_z[0, j - 1]
        for i in (1, 2):
            results[f"gw{i}{j}"] = grads[f"w{i}{j}"]
    names = [*given, *results]
    at = {n: k for k, n in enumerate(names)}
    values = [float(v) for v in (*given.values(), *results.values())]
    lines = [
        Ln((at["y"], at["yhat"]), lambda y, yh: -(y - yh), at["d3"]),
        Ln(
            tuple(at[f"w{j}"] for j in range(1, h + 1))
            + tuple(at[f"a{j}"] for j in range(1, h + 1))
            + (at["b"],),
            lambda *v: sum(v[k] * v[h + k] for k in range(h)) + v[-1],
            at["z"],
        ),
    ]
    for j in range(1, h + 1):
        z_terms = (at[f"w1{j}"], at["x1"], at[f"w2{j}"], at["x2"], at[f"b{j}"])
        lines.append(Ln(z_terms, lambda a, x1, c, x2, bj: a * x1 + c * x2 + bj, at[f"z{j}"]))
        lines.append(Ln((at["d3"], at[f"a{j}"]), lambda d, a: d * a, at[f"gw{j}"]))
        d2_terms = (at[f"w{j}"], at["d3"], at[f"da{j}"])
        lines.append(Ln(d2_terms, lambda w, d, s: w * d * s, at[f"d2{j}"]))
        for i in (1, 2):
            lines.append(Ln((at[f"d2{j}"], at[f"x{i}"]), lambda d, xi: d * xi, at[f"gw{i}{j}"]))
    least = [GIVEN] * len(given) + [RESULT] * len(results)
    chosen = digits_for(values, lines, least)
    return {n: num(v, d) for n, v, d in zip(names, values, chosen, strict=True)}


def _slope_words(activation: str) -> str:
    return {
        "sigmoid": "a<sup>[2]</sup>(1 − a<sup>[2]</sup>), the sigmoid's derivative",
        "tanh": "1 − (a<sup>[2]</sup>)², tanh's derivative",
        "relu": "1 where z<sup>[2]</sup> > 0, else 0 (ReLU's derivative)",
    }[activation]
