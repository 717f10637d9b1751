"""A grading process of `mlgrade grade`: grades the students it is sent, one after another.

Usage: python -I -m mlgrade.gradeslot CONFIG_JSON
    CONFIG_JSON: {"modules", "limits", "checks_dirs", "isolation", "lang"}

Requests arrive on stdin, one JSON line each: {"student", "workspace", "seed"}.
Replies leave on the original stdout, one JSON line each: {"student", "report"}, or
{"student", "error", "usage"} when the student could not be graded.  Anything else written
to stdout (by a check, say) goes to stderr, so it cannot be mistaken for a reply.

Everything that does not depend on the student (imports, the sandbox probe, the catalog's
modules) is done once, when the process starts, while the batch's other slots start too.
"""
import json
import os
import signal
import sys


def stop(signum, frame):
    """SIGTERM from the batch: end pytest's session, whose end kills this student's workers."""
    raise KeyboardInterrupt


def main() -> None:
    try:
        serve()
    except KeyboardInterrupt:
        sys.exit(143)


def serve() -> None:
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the batch decides when to stop
    signal.signal(signal.SIGTERM, stop)
    config = json.loads(sys.argv[1])

    from . import sandbox, zygote
    limits = sandbox.Limits(**config["limits"])
    if config["isolation"] == "sandbox":   # one warm sandbox for all students; it answers
        zygote.start_staged(limits)         # the sandbox probe while pytest and the checks import
    from . import catalog, i18n, report, runner
    from .quiz.grading import for_workspace

    i18n.use(config["lang"])
    for module in config["modules"]:
        catalog.get(module)
    zygote.wait_started()
    for line in sys.stdin:
        task = json.loads(line)
        reply = {"student": task["student"]}
        try:
            result = runner.grade_workspace(task["workspace"], config["modules"], task["seed"],
                                            limits, config["checks_dirs"], config["isolation"])
            if set(config["modules"]) == set(catalog.MODULES):   # as `mlgrade check` does
                quiz_part = for_workspace(task["workspace"], task["student"])
                result.exercises += [quiz_part] if quiz_part else []
            reply["report"] = {**report.to_dict(result), "student": task["student"]}
        except (runner.ChecksError, runner.IsolationError) as exc:
            reply.update(error=str(exc), usage=True)
        except Exception as exc:  # noqa: BLE001 - one student's failure is reported, not fatal
            reply["error"] = f"{type(exc).__name__}: {exc}"[:500]
        replies.write(json.dumps(reply) + "\n")   # ASCII: lone surrogates travel escaped
        replies.flush()


if __name__ == "__main__":
    main()
