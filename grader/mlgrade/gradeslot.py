"""A grading process of `mlgrade grade`: grades the students it is sent, one after another.

Usage: python -I -m mlgrade.gradeslot CONFIG_JSON
    CONFIG_JSON: {"modules", "limits", "checks_dirs", "isolation", "lang", "exclude"}

Replies leave on the original stdout, one JSON line each: first {"ready": true} once the
process has imported everything and collected the checks; then, per student, {"student",
"report"}, or {"student", "error", "usage"} when the student could not be graded.
Requests arrive on stdin after "ready", one JSON line each: {"student", "workspace", "seed"}.
Anything else written to stdout (by a check, say) goes to stderr, so it cannot be mistaken
for a reply.

Everything that does not depend on the student is done once, when the process starts,
while the batch's other slots start too: imports, the sandbox probe, and the collection of
the checks, in the one pytest session that then grades every student (runner.grade_each).
If that session fails, the process ends (exit status 3, the reason on stderr) and the batch
starts another.
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
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")   # pytest's capture takes fd 0
    os.dup2(2, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the batch decides when to stop
    signal.signal(signal.SIGTERM, stop)
    config = json.loads(sys.argv[1])

    from . import sandbox, zygote
    limits = sandbox.Limits(**config["limits"])
    if config["isolation"] == "sandbox":   # one warm sandbox for all students; it answers
        zygote.start_staged(limits)         # the sandbox probe while pytest and the checks import
    from . import i18n, runner

    i18n.use(config["lang"])
    zygote.wait_started()

    def send(reply: dict) -> None:
        replies.write(json.dumps(reply) + "\n")   # ASCII: lone surrogates travel escaped
        replies.flush()

    def students():
        send({"ready": True})
        for line in requests:
            task = json.loads(line)
            yield runner.Student(task["workspace"], task["seed"], task["student"])

    try:
        runner.grade_each(students(), lambda student, outcome: send(reply(student, outcome,
                                                                          config)),
                          config["modules"], limits,
                          config["checks_dirs"], config["isolation"], for_record=True,
                          exclude=config.get("exclude", []))
    except (runner.ChecksError, runner.IsolationError) as exc:
        for student in students():      # raised before any student: each is told why
            send({"student": student.id, "error": str(exc), "usage": True})
    except runner.GradingError as exc:
        print(f"{type(exc).__name__}: {exc}"[:500], file=sys.stderr)
        sys.exit(3)


def reply(student, outcome, config: dict) -> dict:
    """The reply for one student: their report (with the quiz, as `mlgrade check` adds
    it), or why they could not be graded."""
    from . import catalog, report, runner
    from .quiz.grading import for_workspace

    if isinstance(outcome, runner.GradingError):
        return {"student": student.id, "error": f"{type(outcome).__name__}: {outcome}"[:500]}
    try:
        if set(config["modules"]) == set(catalog.MODULES):
            quiz_part = for_workspace(student.workspace, student.id)
            outcome.exercises += [quiz_part] if quiz_part else []
        return {"student": student.id,
                "report": {**report.to_dict(outcome), "student": student.id}}
    except Exception as exc:  # noqa: BLE001 - one student's failure is reported, not fatal
        return {"student": student.id, "error": f"{type(exc).__name__}: {exc}"[:500]}


if __name__ == "__main__":
    main()
