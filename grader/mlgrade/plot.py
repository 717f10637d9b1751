"""Pictures of what a student's own code does, beside the reference (optional matplotlib).

The student's functions run in a worker process, as in grading; only their plain-data
results come back to be drawn.
"""
import logging
import os

import numpy as np

from . import i18n, sandbox
from .catalog import ex04_update, ex12_descent
from .i18n import t
from .numeric import as_array, as_float
from .outcomes import Incorrect, NotAttempted, StudentError
from .pool import Pool
from .worker.wire import Callable

EPOCHS = 10
DESCENT = {"a": 5.0, "w_star": 0.8}     # L(w) = 2.5 (w − 0.8)², gradient 5 (w − 0.8)
RATES = ((0.1, "converges"), (0.38, "oscillates"), (0.42, "diverges"))
W0, STEPS = 0.0, 12


class PlotError(Exception):
    """The plot cannot be drawn (matplotlib missing, unknown exercise)."""


def student_calls(workspace: str, module: str, func: str, arg_lists: list, isolation="auto"):
    """Call one student function in one worker, once per argument list.

    Returns:
        A list of (value, None) or (None, reason it failed), one per call.
    """
    pool = Pool(os.path.abspath(workspace), [module], sandbox.Limits(), sandbox.choose(isolation))
    results = []
    try:
        for args in arg_lists:
            try:
                results.append((pool.get(module).call(func, list(args)).value, None))
            except (NotAttempted, StudentError) as exc:
                results.append((None, str(exc)))
    finally:
        pool.close()
    return results


def losses_of(history) -> np.ndarray:
    return np.array([as_float(entry["loss"]) for entry in history])


def plot_train_linear(ax, workspace: str) -> str | None:
    args = list(ex04_update.HOUSE[:5]) + [EPOCHS]
    reference = losses_of(ex04_update.reference(*args))
    [(history, error)] = student_calls(workspace, "ex04_update", "train_linear", [args])
    ax.semilogy(reference, "o-", color="0.6", lw=4, label=t("cli.plot_reference_loss"))
    try:
        if error is None:
            ax.semilogy(losses_of(history), "s--", color="C0", label=t("cli.plot_yours_loss"))
    except (Incorrect, TypeError, KeyError, IndexError) as exc:
        error = str(exc)
    printed = [p["loss"] for p in ex04_update.PRINTED]
    ax.semilogy(printed, "x", color="C3", ms=10, mew=2, label=t("cli.plot_document"))
    ax.set(title=t("cli.plot_loss_title"), xlabel=t("cli.plot_epoch"), ylabel=t("cli.plot_loss"))
    ax.legend()
    return error


def plot_gradient_descent(axes, workspace: str) -> str | None:
    ax_curve, ax_path = axes
    grid = np.linspace(-1.2, 2.8, 200)
    ax_curve.plot(grid, 2.5 * (grid - DESCENT["w_star"]) ** 2, color="0.7",
                  label=t("cli.plot_loss_curve"))
    calls = student_calls(workspace, "ex12_descent", "gradient_descent",
                          [(Callable("quad_grad", **DESCENT), W0, lr, STEPS) for lr, _ in RATES])
    errors = []
    for i, ((lr, kind), (got, error)) in enumerate(zip(RATES, calls, strict=True)):
        reference = ex12_descent.path(DESCENT["a"], DESCENT["w_star"], W0, lr, STEPS)
        label = t("cli.plot_lr", lr=lr, kind=t(f"cli.plot_{kind}"))
        ax_path.plot(reference, "-", color=f"C{i}", lw=4, alpha=0.35)
        try:
            path = as_array(got, reference.shape) if error is None else reference * np.nan
        except Incorrect as exc:
            path, error = reference * np.nan, str(exc)
        errors += [error] if error else []
        ax_path.plot(path, "o--", color=f"C{i}", ms=4, label=label)
        # iterates outside the window leave it (clipping them would draw points not on the path)
        ax_curve.plot(path, 2.5 * (path - DESCENT["w_star"]) ** 2, "o-", color=f"C{i}", ms=4,
                      lw=1)
    # one legend entry for the three thick, light reference paths
    ax_path.plot([], [], "-", color="0.5", lw=4, alpha=0.35, label=t("cli.plot_reference_paths"))
    ax_curve.set(title=t("cli.plot_descent_title"), xlabel=t("cli.plot_w"),
                 ylabel=t("cli.plot_loss_w"), xlim=(grid[0], grid[-1]), ylim=(-0.3, 12))
    ax_curve.plot([], [], "o-", color="0.4", ms=4, lw=1, label=t("cli.plot_iterates_left"))
    ax_curve.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    ax_path.set(title=t("cli.plot_path_title"), xlabel=t("cli.plot_epoch"),
                ylabel=t("cli.plot_w"), ylim=(-1.5, 5.2))
    ax_path.axhline(DESCENT["w_star"], color="0.5", lw=0.8, label=t("cli.plot_best_w"))
    ax_path.legend(fontsize="small", loc="upper left")
    return errors[0] if errors else None


# exercise: (the student's function drawn, number of panels, painter)
PLOTS = {"ex04_update": ("train_linear", 1, plot_train_linear),
         "ex12_descent": ("gradient_descent", 2, plot_gradient_descent)}


CJK_FONTS = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC", "SimHei",
             "PingFang SC", "Microsoft YaHei")


def cjk_font() -> str | None:
    """A font with Chinese glyphs that matplotlib can use, if one is installed."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in names), None)


def draw(module: str, workspace: str, output: str) -> list[str]:
    """Draw `module`'s picture into `output`.

    Returns:
        Notes for the user: why the student's part is missing, a font fallback.
    """
    if module not in PLOTS:
        raise PlotError(t("cli.plot_unsupported", modules=", ".join(PLOTS)))
    try:
        import matplotlib
    except ImportError:
        raise PlotError(t("cli.no_matplotlib")) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    notes, lang = [], i18n.current()
    if lang == "zh":
        font = cjk_font()
        if font is None:
            notes.append(t("cli.no_cjk_font"))
            i18n.use("en")
        # DejaVu first: mathtext (the log axis's 10⁻¹) uses only the first family, and the
        # Chinese fonts lack its minus sign U+2212; text takes the glyphs DejaVu lacks from
        # the next font of the list
        plt.rcParams["font.family"] = ["DejaVu Sans"] + ([font] if font else [])
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    try:
        function, panels, painter = PLOTS[module]
        fig, axes = plt.subplots(1, panels, figsize=(6.5 * panels, 4.8))
        error = painter(axes, workspace)
        fig.tight_layout()
        fig.savefig(output, dpi=110)
        plt.close(fig)
    finally:
        i18n.use(lang)
    return notes + ([t("cli.plot_failed", function=function, error=error)] if error else [])
