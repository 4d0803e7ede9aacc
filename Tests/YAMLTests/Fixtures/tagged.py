"""Python values as tagged JSON that keeps what plain JSON would blur: mapping order, int against
float against bool, and any key type. Floats are written with repr() so they round-trip exactly.

    None -> {"null": null}          True -> {"bool": true}        3 -> {"int": 3}
    2.0 -> {"float": "2.0"}         "a" -> {"str": "a"}           [..] -> {"list": [..]}
    {k: v} -> {"map": [[k, v], ...]}
    date / datetime -> {"str": str(value)}  (the Swift readers turn timestamps into that text)
"""
import datetime


def tag(value):
    if value is None:
        return {"null": None}
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int):
        return {"int": value}
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, str):
        return {"str": value}
    if isinstance(value, (datetime.date, datetime.datetime)):
        return {"str": str(value)}
    if isinstance(value, list):
        return {"list": [tag(item) for item in value]}
    if isinstance(value, dict):
        return {"map": [[tag(key), tag(item)] for key, item in value.items()]}
    raise TypeError("cannot tag %r" % (value,))
