/* Twin of ../CSharpBpf.CompilerComparison/Programs/SysctlGuard.cs */
#include "common.h"

#define TCP_KEEP 0x7065656b5f706374ULL
#define ALIVE_IN 0x6e695f6576696c61ULL
#define TVL 0x6c7674ULL
#define ALIVE_TI 0x69745f6576696c61ULL
#define ME 0x656dULL

SEC("cgroup/sysctl")
int sysctl_guard(struct bpf_sysctl *ctx)
{
	__u64 name[4] = { 0, 0, 0, 0 };
	long n = bpf_sysctl_get_name(ctx, (char *)name, 32, BPF_F_SYSCTL_BASE_NAME);
	if (n == 19 && name[0] == TCP_KEEP && name[1] == ALIVE_IN && name[2] == TVL && ctx->write == 0)
		return 0;
	if (n == 18 && name[0] == TCP_KEEP && name[1] == ALIVE_TI && name[2] == ME && ctx->write != 0) {
		__u32 rewritten = 0x373737; /* "777" */
		bpf_sysctl_set_new_value(ctx, (char *)&rewritten, 3);
	}
	return 1;
}
