// Command kfake starts franz-go's kfake, an independent fake Kafka cluster, with several brokers on
// 127.0.0.1 for kafkalab's tests. It prints the brokers' addresses as one comma-separated line, then
// runs until its stdin closes.
//
// Usage: kfake [-brokers N] [-port P] (P: the first broker's port; 0 picks free ports)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/twmb/franz-go/pkg/kfake"
)

func main() {
	brokers := flag.Int("brokers", 3, "number of brokers")
	port := flag.Int("port", 0, "first broker's port (0: free ports)")
	flag.Parse()

	ports := make([]int, *brokers)
	for i := range ports {
		if *port != 0 {
			ports[i] = *port + i
		}
	}
	c, err := kfake.NewCluster(
		kfake.NumBrokers(*brokers),
		kfake.Ports(ports...),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kfake:", err)
		os.Exit(1)
	}
	defer c.Close()
	fmt.Println(strings.Join(c.ListenAddrs(), ","))
	_, _ = io.Copy(io.Discard, os.Stdin)
}
