"""moto's server, with DynamoDB's writes made atomic as DynamoDB makes them.

moto serves each request on its own thread and checks a ConditionExpression, then writes, with nothing held in
between: two concurrent PutItem calls with ``attribute_not_exists`` can both pass their check and both write. DynamoDB
evaluates the condition and applies the write as one step, and drplane's service relies on that for idempotency keys.
This launcher holds one lock around every DynamoDB write (put, update, delete, transactional write) and then runs
moto's own server with the arguments it was given, so the tests see the atomicity the real service guarantees.

Step Functions: moto does not run executions (a test plays the definition itself) and can only stop one (ABORTED).
To end an execution as Step Functions would once it ran, a test calls StopExecution with ``error`` set to
``drplane.close`` and ``cause`` a JSON object ``{"status": "SUCCEEDED"|"FAILED"|"TIMED_OUT", "error": ...,
"cause": ..., "output": ..., "stopDate": <ISO 8601, default now>}``: the execution then describes with that status,
error, cause, output and stopDate (a test on a virtual clock passes its own time). Any other StopExecution is moto's own.

CloudWatch: alarms keep StateTransitionedTimestamp (the last change of StateValue), which moto does not. SetAlarmState
with StateReasonData ``{"drplane.at": <ISO 8601>}`` stamps the change with that time instead of moto's clock (a test
on a virtual clock).

DRPLANE_MOTO_SWITCH_INTERVAL (seconds) sets Python's thread switch interval: a tiny one interleaves request threads
as a loaded machine does, which the test of this launcher uses to show the race without the lock.
"""

import functools
import os
import sys
import threading

import json
from datetime import datetime

from moto.core.responses import ActionResult
from moto.cloudwatch.models import Alarm
from moto.core.utils import utcnow
from moto.dynamodb.models import DynamoDBBackend
from moto.server import main
from moto.stepfunctions.responses import StepFunctionResponse

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

_CLOSE = "drplane.close"
_moto_stop_execution = StepFunctionResponse.stop_execution


def _stop_or_close(self):
    if self._get_param("error") != _CLOSE:
        return _moto_stop_execution(self)
    end = json.loads(self._get_param("cause"))
    if end.get("status") not in ("SUCCEEDED", "FAILED", "TIMED_OUT"):
        raise ValueError(f"{_CLOSE}: status must be SUCCEEDED, FAILED or TIMED_OUT, got {end.get('status')!r}")
    execution = self.stepfunction_backend.describe_execution(self._get_param("executionArn"))
    execution.status = end["status"]
    execution.stop_date = datetime.fromisoformat(end["stopDate"].replace("Z", "+00:00")) if end.get("stopDate") else utcnow()
    execution.error = end.get("error")
    execution.cause = end.get("cause")
    execution.output = end.get("output")
    return ActionResult({"stopDate": execution.stop_date})


StepFunctionResponse.stop_execution = _stop_or_close

# CloudWatch: moto keeps no StateTransitionedTimestamp (the time of the last change of StateValue; StateUpdatedTimestamp
# moves on every state write, even one that keeps the value). This keeps it as CloudWatch documents it.
_moto_alarm_init = Alarm.__init__
_moto_update_state = Alarm.update_state


def _alarm_init(self, *args, **kwargs):
    _moto_alarm_init(self, *args, **kwargs)
    self.state_transitioned_timestamp = self.state_updated_timestamp


def _update_state(self, reason, reason_data, state_value):
    changed = state_value != self.state_value
    _moto_update_state(self, reason, reason_data, state_value)
    # A test on a virtual clock passes the time of the change as StateReasonData {"drplane.at": <ISO 8601>} (moto
    # stamps its own clock): the alarm's timestamps are then the test's, as the state-change event it builds says.
    try:
        at = json.loads(reason_data).get("drplane.at") if reason_data else None
    except (ValueError, AttributeError):
        at = None
    if at:
        self.state_updated_timestamp = datetime.fromisoformat(at.replace("Z", "+00:00"))
    if changed:
        self.state_transitioned_timestamp = self.state_updated_timestamp


Alarm.__init__ = _alarm_init
Alarm.update_state = _update_state

if __name__ == "__main__":
    main(sys.argv[1:])
