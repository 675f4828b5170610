using System;
using System.Text;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Maps;

namespace CSharpBpf.Vm.Helpers;

/// <summary>The cgroup/sysctl helpers, with kernel/bpf/cgroup.c's copy and truncation rules.</summary>
internal static class SysctlHelpers
{
    public const ulong BaseNameFlag = 1; // BPF_F_SYSCTL_BASE_NAME

    public static void Register(HelperTable t)
    {
        t.Register(HelperIds.SysctlGetName, "bpf_sysctl_get_name", (m, a) =>
        {
            var ctx = Ctx(m, a);
            if (a.R4 > BaseNameFlag) return Errno.Neg(Errno.EINVAL);
            var buf = Buffer(m, a);
            string name = (a.R4 & BaseNameFlag) != 0 ? ctx.BaseName : ctx.Name;
            return StandardHelpers.Ret(CopyString(buf, Encoding.ASCII.GetBytes(name)));
        });
        t.Register(HelperIds.SysctlGetCurrentValue, "bpf_sysctl_get_current_value", (m, a) =>
            StandardHelpers.Ret(CopyValue(Buffer(m, a), Ctx(m, a).CurrentValue)));
        t.Register(HelperIds.SysctlGetNewValue, "bpf_sysctl_get_new_value", (m, a) =>
        {
            var ctx = Ctx(m, a);
            var buf = Buffer(m, a);
            if (!ctx.Write)
            {
                buf.Clear();
                return Errno.Neg(Errno.EINVAL);
            }
            return StandardHelpers.Ret(CopyValue(buf, ctx.NewValue));
        });
        t.Register(HelperIds.SysctlSetNewValue, "bpf_sysctl_set_new_value", (m, a) =>
        {
            var ctx = Ctx(m, a);
            if (!ctx.Write || ctx.NewValue is null || ctx.NewValue.Length == 0 || a.R3 == 0 || a.R3 > 4095) return Errno.Neg(Errno.EINVAL);
            ctx.NewValue = m.Memory.Slice(a.R2, (int)a.R3, false, a.Pc).ToArray();
            ctx.NewValueUpdated = true;
            return 0;
        });
    }

    private static SysctlContext Ctx(BpfMachine m, HelperArgs a) =>
        m.CurrentContext as SysctlContext ?? throw StandardHelpers.BadArg(a, "sysctl helpers need a cgroup/sysctl context");

    private static Span<byte> Buffer(BpfMachine m, HelperArgs a)
    {
        if (a.R3 > 4096) throw StandardHelpers.BadArg(a, $"buffer length {a.R3} is too large");
        return m.Memory.Slice(a.R2, (int)a.R3, true, a.Pc);
    }

    /// <summary>strscpy: NUL-terminated copy; the length, or -E2BIG when truncated.</summary>
    private static long CopyString(Span<byte> dst, byte[] src)
    {
        if (dst.Length == 0) return -Errno.E2BIG;
        if (src.Length < dst.Length)
        {
            src.CopyTo(dst);
            dst.Slice(src.Length).Clear();
            return src.Length;
        }
        src.AsSpan(0, dst.Length - 1).CopyTo(dst);
        dst[dst.Length - 1] = 0;
        return -Errno.E2BIG;
    }

    /// <summary>copy_sysctl_value: as strscpy, but -EINVAL (buffer zeroed) when there is no value.</summary>
    private static long CopyValue(Span<byte> dst, byte[]? src)
    {
        if (dst.Length == 0) return -Errno.E2BIG;
        if (src is null || src.Length == 0)
        {
            dst.Clear();
            return -Errno.EINVAL;
        }
        return CopyString(dst, src);
    }
}
