"""The json.decoder module: JSONDecoder, JSONDecodeError and scanstring,
defined in json and re-exported here."""

from json import JSONDecoder, JSONDecodeError, scanstring, py_scanstring

__all__ = ['JSONDecoder', 'JSONDecodeError']
