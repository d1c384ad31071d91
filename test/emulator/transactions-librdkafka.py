"""A librdkafka transactional producer (confluent_kafka), for test/emulator/transactions-librdkafka.test.ts.

argv: bootstrap topic transactional_id. Commits one transaction of three records, aborts one of two,
commits one more of one, then prints one JSON line: what librdkafka reported for each step.
"""
import json
import sys

from confluent_kafka import KafkaException, Producer

bootstrap, topic, txn_id = sys.argv[1], sys.argv[2], sys.argv[3]
delivered = []


def on_delivery(err, msg):
    delivered.append({"error": str(err) if err else None, "value": msg.value().decode(), "offset": msg.offset()})


p = Producer({
    "bootstrap.servers": bootstrap,
    "transactional.id": txn_id,
    "enable.idempotence": True,
    "acks": "all",
    "socket.timeout.ms": 10000,
    "transaction.timeout.ms": 60000,
})
steps = []
try:
    p.init_transactions(30)
    for values, commit in ((["c1", "c2", "c3"], True), (["a1", "a2"], False), (["c4"], True)):
        p.begin_transaction()
        for v in values:
            p.produce(topic, value=v.encode(), partition=0, on_delivery=on_delivery)
        p.flush(30)
        if commit:
            p.commit_transaction(30)
        else:
            p.abort_transaction(30)
        steps.append("commit" if commit else "abort")
except KafkaException as e:
    steps.append("failed: " + str(e.args[0]))
print(json.dumps({"steps": steps, "delivered": delivered}))
