"""librdkafka's mock cluster (test.mock.num.brokers), for kafkalab's tests.

Creating any client with test.mock.num.brokers starts a mock cluster inside that client; its
Metadata names the mock brokers. Prints them as one comma-separated line of host:port, then stays up
until stdin closes. Usage: python3 librdkafka-mock.py [BROKERS]
"""
import sys

import confluent_kafka

brokers = int(sys.argv[1]) if len(sys.argv) > 1 else 1
# bootstrap.servers is ignored (replaced by the mock's) but must be set.
producer = confluent_kafka.Producer(
    {"test.mock.num.brokers": brokers, "bootstrap.servers": "mock:1", "log_level": 3}
)
metadata = producer.list_topics(timeout=10)
addresses = [f"{b.host}:{b.port}" for _, b in sorted(metadata.brokers.items())]
print(",".join(addresses), flush=True)
sys.stdin.read()
