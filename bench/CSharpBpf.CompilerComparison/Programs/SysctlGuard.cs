// cgroup sysctl (issue 4): denies reads of net.ipv4.tcp_keepalive_intvl and rewrites writes of
// tcp_keepalive_time to "777"; the base name is compared 8 bytes at a time. Twin: ../../twins/sysctl_guard.c
using CSharpBpf;
using CSharpBpf.Kernel;

namespace CSharpBpf.CompilerComparison.Programs;

public static unsafe partial class SysctlGuard
{
    const ulong BaseName = 1; // BPF_F_SYSCTL_BASE_NAME
    // little-endian ASCII: "tcp_keep" "alive_in" "tvl" / "alive_ti" "me"
    const ulong TcpKeep = 0x7065656b5f706374, AliveIn = 0x6e695f6576696c61, Tvl = 0x6c7674, AliveTi = 0x69745f6576696c61, Me = 0x656d;

    [CgroupSysctl]
    static int sysctl_guard(bpf_sysctl* ctx)
    {
        ulong* name = stackalloc ulong[4];
        name[0] = 0; name[1] = 0; name[2] = 0; name[3] = 0;
        long n = KernelHelpers.SysctlGetName(ctx, (byte*)name, 32, BaseName);
        if (n == 19 && name[0] == TcpKeep && name[1] == AliveIn && name[2] == Tvl && ctx->write == 0)
            return 0;
        if (n == 18 && name[0] == TcpKeep && name[1] == AliveTi && name[2] == Me && ctx->write != 0)
        {
            uint rewritten = 0x373737; // "777"
            KernelHelpers.SysctlSetNewValue(ctx, (byte*)&rewritten, 3);
        }
        return 1;
    }
}
