/* Twin of ../CSharpBpf.CompilerComparison/Programs/SyscallCounter.cs */
#include "common.h"
#include <bpf/bpf_tracing.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 512);
	__type(key, __u32);
	__type(value, __u64);
} syscalls SEC(".maps");

SEC("raw_tp/sys_enter")
int BPF_PROG(count_syscalls, void *regs, long id)
{
	if (id < 0 || id >= 512) return 0;
	__u32 key = id;
	__u64 *n = bpf_map_lookup_elem(&syscalls, &key);
	if (n) *n += 1;
	return 0;
}
