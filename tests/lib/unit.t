#!/bin/sh
# The library's unit tests (C, msgpack-c as the independent decoder).
exec "$TSA_BIN/tests/tsa-test-lib" "$TSA_TMP"
