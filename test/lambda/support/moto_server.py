"""moto's server, with DynamoDB's writes made atomic as DynamoDB makes them.

moto serves each request on its own thread and checks a ConditionExpression, then writes, with nothing held in
between: two concurrent PutItem calls with ``attribute_not_exists`` can both pass their check and both write. DynamoDB
evaluates the condition and applies the write as one step, and drplane's service relies on that for idempotency keys.
This launcher holds one lock around every DynamoDB write (put, update, delete, transactional write) and then runs
moto's own server with the arguments it was given, so the tests see the atomicity the real service guarantees.

DRPLANE_MOTO_SWITCH_INTERVAL (seconds) sets Python's thread switch interval: a tiny one interleaves request threads
as a loaded machine does, which the test of this launcher uses to show the race without the lock.
"""

import functools
import os
import sys
import threading

from moto.dynamodb.models import DynamoDBBackend
from moto.server import main

_WRITE_LOCK = threading.RLock()

if os.environ.get("DRPLANE_MOTO_SWITCH_INTERVAL"):
    sys.setswitchinterval(float(os.environ["DRPLANE_MOTO_SWITCH_INTERVAL"]))


def _atomic(method):
    @functools.wraps(method)
    def locked(*args, **kwargs):
        with _WRITE_LOCK:
            return method(*args, **kwargs)

    return locked


for _name in ("put_item", "update_item", "delete_item", "transact_write_items"):
    setattr(DynamoDBBackend, _name, _atomic(getattr(DynamoDBBackend, _name)))

if __name__ == "__main__":
    main(sys.argv[1:])
