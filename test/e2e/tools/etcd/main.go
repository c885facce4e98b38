// Command etcd is the etcd server, built from the published go.etcd.io/etcd/server/v3 module.
//
// It is the same program as upstream's root main.go (go.etcd.io/etcd/v3), which only calls etcdmain.Main; that
// root module is not available from the Go module proxy, so this wrapper carries the two lines itself.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
