"""The json.encoder module: JSONEncoder and the string escapers, defined
in json and re-exported here."""

from json import (JSONEncoder, encode_basestring, encode_basestring_ascii,
                  py_encode_basestring, py_encode_basestring_ascii)

__all__ = ['JSONEncoder']
