# Loaded by schemathesis (SCHEMATHESIS_HOOKS) for the stateful run only: two things a sequence of steps
# does that no client does, corrected so that every check, positive_data_acceptance included, judges the
# API rather than the sequence.
import uuid

import schemathesis


# A client sends one Idempotency-Key per operation it means to do once, and the same key only when it
# retries that operation. Schemathesis draws the key like any string, so unrelated steps of a sequence
# share small values such as "0": the API then rightly replays the first answer (a project created, and
# since deleted), which the stateful checks read as "created resource not found". Each step here gets a
# key of its own, as from a real client; the other phases keep drawing arbitrary keys (malformed ones
# must still answer 400), and the API's own tests cover replays.
@schemathesis.hook
def map_headers(ctx, headers):
    if headers and "Idempotency-Key" in headers:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    return headers


# Inferred links also follow nullable ids (an audit entry's taskId is null for a project's own events)
# and would then put Python's None into the next path, sent as the text "None": not a UUID, so the API
# answers 400, and positive_data_acceptance would call that a refusal of valid data. There is no
# resource to follow, and a hook cannot drop the step, so the step asks for a well-formed id that
# names nothing: the check then holds the API to its documented 404.
@schemathesis.hook
def before_call(ctx, case, kwargs):
    for name, value in list((case.path_parameters or {}).items()):
        if value is None:
            case.path_parameters[name] = str(uuid.uuid4())
