using System;
using CSharpBpf.Vm.Maps;

namespace CSharpBpf.Vm.Helpers;

/// <summary>Registers every helper the VM implements (each family in its own file).</summary>
public static class StandardHelpers
{
    public static void RegisterAll(HelperTable t)
    {
        MapHelpers.Register(t);
        MiscHelpers.Register(t);
        SocketHelpers.Register(t);
        SysctlHelpers.Register(t);
        RingbufHelpers.Register(t);
        PacketHelpers.Register(t);
        TaskHelpers.Register(t);
        XdpAdjustHelpers.Register(t);
        SkbDataHelpers.Register(t);
    }

    internal static ulong Ret(long value) => unchecked((ulong)value);

    internal static BpfVmException BadArg(HelperArgs a, string what) => new(VmErrorKind.BadHelperArgument, a.Pc, what);

    internal static T MapAs<T>(BpfMachine m, HelperArgs a, string helper) where T : BpfMap
    {
        var map = m.ResolveMap(a.R1, a.Pc);
        return map as T ?? throw BadArg(a, $"{helper} needs a {typeof(T).Name}, not '{map.Name}' ({map.Type})");
    }
}

internal static class MapHelpers
{
    public static void Register(HelperTable t)
    {
        t.Register(HelperIds.MapLookupElem, "bpf_map_lookup_elem", (m, a) =>
        {
            var map = m.ResolveMap(a.R1, a.Pc);
            return map.LookupForProgram(m.Memory.Slice(a.R2, map.KeySize, false, a.Pc));
        });
        t.Register(HelperIds.MapUpdateElem, "bpf_map_update_elem", (m, a) =>
        {
            var map = m.ResolveMap(a.R1, a.Pc);
            var key = m.Memory.Slice(a.R2, map.KeySize, false, a.Pc);
            var value = m.Memory.Slice(a.R3, map.ValueSize, false, a.Pc);
            return StandardHelpers.Ret(map.UpdateForProgram(key, value, (MapUpdateFlags)a.R4));
        });
        t.Register(HelperIds.MapDeleteElem, "bpf_map_delete_elem", (m, a) =>
        {
            var map = m.ResolveMap(a.R1, a.Pc);
            return StandardHelpers.Ret(map.DeleteForProgram(m.Memory.Slice(a.R2, map.KeySize, false, a.Pc)));
        });
    }
}

internal static class MiscHelpers
{
    public const int EFAULT = 14;

    public static void Register(HelperTable t)
    {
        t.Register(HelperIds.KtimeGetNs, "bpf_ktime_get_ns", (m, a) => m.Clock());
        t.Register(HelperIds.KtimeGetBootNs, "bpf_ktime_get_boot_ns", (m, a) => m.Clock());
        t.Register(HelperIds.GetPrandomU32, "bpf_get_prandom_u32", (m, a) => (uint)m.Random.Next() ^ ((uint)m.Random.Next() << 16));
        t.Register(HelperIds.GetSmpProcessorId, "bpf_get_smp_processor_id", (m, a) => (ulong)m.CurrentCpu);
        t.Register(HelperIds.TracePrintk, "bpf_trace_printk", TracePrintk.Invoke);
        t.Register(HelperIds.ProbeReadKernel, "bpf_probe_read_kernel", (m, a) => ProbeRead(m, a, asString: false));
        t.Register(HelperIds.ProbeReadKernelStr, "bpf_probe_read_kernel_str", (m, a) => ProbeRead(m, a, asString: true));
    }

    /// <summary>
    /// bpf_probe_read_kernel(dst, size, unsafe_ptr): a fault on the source is no error but -EFAULT with
    /// dst zeroed, as in the kernel; dst itself must be valid program memory.
    /// </summary>
    private static ulong ProbeRead(BpfMachine m, HelperArgs a, bool asString)
    {
        if (a.R2 > int.MaxValue) throw StandardHelpers.BadArg(a, $"size {a.R2} is too large");
        int size = (int)a.R2;
        var dst = m.Memory.Slice(a.R1, size, true, a.Pc);
        var region = m.Memory.RegionOf(a.R3, out long off);
        if (region is null || region.Virtual is not null || !region.Readable || off < 0 || off >= region.Length || (!asString && off + size > region.Length))
        {
            dst.Clear();
            return StandardHelpers.Ret(-EFAULT);
        }
        if (!asString)
        {
            region.Span.Slice((int)off, size).CopyTo(dst);
            return 0;
        }
        if (size == 0) return 0;
        var src = region.Span.Slice((int)off);
        int n = 0;
        while (n < size - 1 && n < src.Length && src[n] != 0) { dst[n] = src[n]; n++; }
        dst[n] = 0;
        return (ulong)(n + 1);
    }
}
