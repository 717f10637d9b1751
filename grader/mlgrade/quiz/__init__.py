"""Quizzes on the five documents: the bank, safe formulas, answers.toml, grading, the session."""
