/* Twin of ../CSharpBpf.CompilerComparison/Programs/SockOpsReply.cs */
#include "common.h"

#define SOL_SOCKET 1
#define SO_MARK 36

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} ops SEC(".maps");

SEC("sockops")
int sockops_reply(struct bpf_sock_ops *skops)
{
	__u32 op = skops->op;
	int v = 0xc5b;
	if (op < 16) {
		__u64 *n = bpf_map_lookup_elem(&ops, &op);
		if (n) *n += 1;
	}
	switch (op) {
	case BPF_SOCK_OPS_TIMEOUT_INIT: skops->reply = 50; break;
	case BPF_SOCK_OPS_RWND_INIT: skops->reply = 40; break;
	case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
		bpf_setsockopt(skops, SOL_SOCKET, SO_MARK, &v, sizeof(v));
		break;
	}
	return 1;
}
