// Command kgo-bench is the franz-go side of `npm run bench:brokers`: the same workload against any
// broker (the kafkalab emulator, franz-go's kfake, a real Kafka), with franz-go's own client (kgo),
// so that a Go fake is measured with the client it was built beside. It creates the topic (one
// partition), produces -n records of -size bytes with acks=all (kgo's default: idempotent, up to
// 5 requests in flight), then reads them back from offset 0 with a direct partition consumer, and
// prints one JSON line: {"produceMs":…, "consumeMs":…} — consume counted from the consumer's start
// (connection and metadata included, a few ms) to the last record: one fetch can return most of a
// partition, so "from the first record" would leave out nearly all of the work.
//
// Usage: kgo-bench -brokers host:port -topic T [-n 1000000] [-size 100]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func main() {
	brokers := flag.String("brokers", "127.0.0.1:9092", "bootstrap server")
	topic := flag.String("topic", "kgo-bench", "topic to create and use")
	n := flag.Int("n", 1_000_000, "records")
	size := flag.Int("size", 100, "value bytes")
	flag.Parse()

	// The whole run is bounded: a broker that stops answering ends it with an error, not a hang.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := run(ctx, *brokers, *topic, *n, *size); err != nil {
		fmt.Fprintln(os.Stderr, "kgo-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, brokers, topic string, n, size int) error {
	producer, err := kgo.NewClient(kgo.SeedBrokers(brokers), kgo.DefaultProduceTopic(topic),
		kgo.ProducerLinger(0), kgo.MaxBufferedRecords(100_000))
	if err != nil {
		return err
	}
	defer producer.Close()
	if err := createTopic(ctx, producer, topic); err != nil {
		return err
	}

	value := make([]byte, size)
	for i := range value {
		value[i] = 'a'
	}
	var failed error
	var once sync.Once
	var wg sync.WaitGroup
	wg.Add(n)
	start := time.Now()
	for i := 0; i < n; i++ {
		producer.Produce(ctx, &kgo.Record{Value: value}, func(_ *kgo.Record, err error) {
			if err != nil {
				once.Do(func() { failed = err })
			}
			wg.Done()
		})
	}
	wg.Wait()
	produceMs := float64(time.Since(start).Microseconds()) / 1000
	if failed != nil {
		return fmt.Errorf("produce: %w", failed)
	}

	consumeStart := time.Now()
	consumer, err := kgo.NewClient(kgo.SeedBrokers(brokers),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: {0: kgo.NewOffset().AtStart()}}))
	if err != nil {
		return err
	}
	defer consumer.Close()
	read := 0
	for read < n {
		fetches := consumer.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("consume: %d of %d records read: %w", read, n, err)
		}
		if errs := fetches.Errors(); len(errs) > 0 {
			return fmt.Errorf("consume: %v", errs[0].Err)
		}
		read += fetches.NumRecords()
	}
	consumeMs := float64(time.Since(consumeStart).Microseconds()) / 1000
	return json.NewEncoder(os.Stdout).Encode(map[string]float64{"produceMs": produceMs, "consumeMs": consumeMs})
}

func createTopic(ctx context.Context, cl *kgo.Client, topic string) error {
	req := kmsg.NewPtrCreateTopicsRequest()
	t := kmsg.NewCreateTopicsRequestTopic()
	t.Topic = topic
	t.NumPartitions = 1
	t.ReplicationFactor = 1
	req.Topics = append(req.Topics, t)
	req.TimeoutMillis = 30_000
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return fmt.Errorf("CreateTopics: %w", err)
	}
	for _, r := range resp.Topics {
		if err := kerr.ErrorForCode(r.ErrorCode); err != nil && err != kerr.TopicAlreadyExists {
			return fmt.Errorf("CreateTopics %s: %w", r.Topic, err)
		}
	}
	return nil
}
