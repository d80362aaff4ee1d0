"""Placeholder: the plan runner is being written."""
from .result import Result, Diagnosis


def run(text, config):
    return Result(text=text, steps=[], diagnosis=Diagnosis())


def replay(text, plan, config):
    return text
