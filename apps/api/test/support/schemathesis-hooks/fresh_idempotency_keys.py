# Loaded by schemathesis (SCHEMATHESIS_HOOKS) for the stateful run only.
#
# A client sends one Idempotency-Key per operation it means to do once, and the same key only when it
# retries that operation. Schemathesis draws the key like any string, so unrelated steps of a sequence
# share small values such as "0": the API then rightly replays the first answer (a project created, and
# since deleted), which the stateful checks read as "created resource not found". Each step here gets a
# key of its own, as from a real client; the other phases keep drawing arbitrary keys (malformed ones
# must still answer 400), and the API's own tests cover replays.
import uuid

import schemathesis


@schemathesis.hook
def map_headers(ctx, headers):
    if headers and "Idempotency-Key" in headers:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    return headers
