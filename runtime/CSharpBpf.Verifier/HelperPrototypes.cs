using System.Collections.Generic;
using CSharpBpf.Object.Objects;
using static CSharpBpf.Verifier.HelperArg;

namespace CSharpBpf.Verifier;

/// <summary>The helper prototypes the verifier checks calls against (uapi ids; argument kinds from kernel func_protos).</summary>
public static class HelperPrototypes
{
    private static readonly VerifierProgramType[] SkbTypes =
        { VerifierProgramType.SocketFilter, VerifierProgramType.SchedCls, VerifierProgramType.SchedAct, VerifierProgramType.CgroupSkb };
    private static readonly VerifierProgramType[] TracingTypes =
        { VerifierProgramType.Tracing, VerifierProgramType.RawTracepoint, VerifierProgramType.StructOps };

    private static readonly BpfMapType[] RingbufMaps = { BpfMapType.Ringbuf };
    private static readonly BpfMapType[] SkStorageMaps = { BpfMapType.SkStorage };
    private static readonly BpfMapType[] RedirectMaps = { BpfMapType.Devmap, BpfMapType.DevmapHash, BpfMapType.Cpumap, BpfMapType.Xskmap };
    private static readonly BpfMapType[] ProgArrayMaps = { BpfMapType.ProgArray };
    /// <summary>Maps whose elements bpf_map_lookup/update/delete_elem may touch from a program.</summary>
    private static readonly BpfMapType[] ElementMaps =
    {
        BpfMapType.Hash, BpfMapType.Array, BpfMapType.PercpuHash, BpfMapType.PercpuArray, BpfMapType.LruHash,
        BpfMapType.LruPercpuHash, BpfMapType.LpmTrie, BpfMapType.ArrayOfMaps, BpfMapType.HashOfMaps, BpfMapType.Devmap,
        BpfMapType.DevmapHash, BpfMapType.Cpumap, BpfMapType.Xskmap, BpfMapType.Sockmap, BpfMapType.Sockhash,
        BpfMapType.Queue, BpfMapType.Stack, BpfMapType.BloomFilter,
    };

    private static readonly Dictionary<int, HelperPrototype> ById = new();

    static HelperPrototypes()
    {
        Add(new(1, "bpf_map_lookup_elem", HelperReturn.MapValueOrNull, new[] { ConstMapPtr, MapKey }) { MapTypes = ElementMaps });
        Add(new(2, "bpf_map_update_elem", HelperReturn.Integer, new[] { ConstMapPtr, MapKey, MapValue, Anything }) { MapTypes = ElementMaps });
        Add(new(3, "bpf_map_delete_elem", HelperReturn.Integer, new[] { ConstMapPtr, MapKey }) { MapTypes = ElementMaps });
        Add(new(4, "bpf_probe_read", HelperReturn.Integer, new[] { WritableMem, ConstSizeOrZero, Anything }) { ProgramTypes = TracingTypes });
        Add(new(5, "bpf_ktime_get_ns", HelperReturn.Integer, new HelperArg[0]));
        Add(new(6, "bpf_trace_printk", HelperReturn.Integer, new[] { ReadableMem, ConstSize, Anything, Anything, Anything }));
        Add(new(7, "bpf_get_prandom_u32", HelperReturn.Integer, new HelperArg[0]));
        Add(new(8, "bpf_get_smp_processor_id", HelperReturn.Integer, new HelperArg[0]));
        Add(new(12, "bpf_tail_call", HelperReturn.Integer, new[] { Ctx, ConstMapPtr, Anything }) { MapTypes = ProgArrayMaps });
        Add(new(14, "bpf_get_current_pid_tgid", HelperReturn.Integer, new HelperArg[0]) { ProgramTypes = TracingTypes });
        Add(new(35, "bpf_get_current_task", HelperReturn.Integer, new HelperArg[0]) { ProgramTypes = TracingTypes });
        Add(new(23, "bpf_redirect", HelperReturn.Integer, new[] { Anything, Anything })
            { ProgramTypes = new[] { VerifierProgramType.Xdp, VerifierProgramType.SchedCls, VerifierProgramType.SchedAct } });
        Add(new(26, "bpf_skb_load_bytes", HelperReturn.Integer, new[] { Ctx, Anything, WritableMem, ConstSize }) { ProgramTypes = SkbTypes });
        Add(new(39, "bpf_skb_pull_data", HelperReturn.Integer, new[] { Ctx, Anything })
            { ProgramTypes = new[] { VerifierProgramType.SchedCls, VerifierProgramType.SchedAct }, ChangesPacketData = true });
        Add(new(43, "bpf_skb_change_head", HelperReturn.Integer, new[] { Ctx, Anything, Anything })
            { ProgramTypes = new[] { VerifierProgramType.SchedCls, VerifierProgramType.SchedAct }, ChangesPacketData = true });
        var xdp = new[] { VerifierProgramType.Xdp };
        Add(new(44, "bpf_xdp_adjust_head", HelperReturn.Integer, new[] { Ctx, Anything }) { ProgramTypes = xdp, ChangesPacketData = true });
        Add(new(65, "bpf_xdp_adjust_tail", HelperReturn.Integer, new[] { Ctx, Anything }) { ProgramTypes = xdp, ChangesPacketData = true });
        Add(new(46, "bpf_get_socket_cookie", HelperReturn.Integer, new[] { Ctx })
            { ProgramTypes = new[] { VerifierProgramType.SocketFilter, VerifierProgramType.SchedCls, VerifierProgramType.SchedAct, VerifierProgramType.CgroupSkb, VerifierProgramType.SockOps } });
        Add(new(49, "bpf_setsockopt", HelperReturn.Integer, new[] { Ctx, Anything, Anything, ReadableMem, ConstSize })
            { ProgramTypes = new[] { VerifierProgramType.SockOps, VerifierProgramType.CgroupSockopt, VerifierProgramType.StructOps } });
        Add(new(51, "bpf_redirect_map", HelperReturn.Integer, new[] { ConstMapPtr, Anything, Anything })
            { ProgramTypes = new[] { VerifierProgramType.Xdp }, MapTypes = RedirectMaps });
        Add(new(57, "bpf_getsockopt", HelperReturn.Integer, new[] { Ctx, Anything, Anything, WritableMem, ConstSize })
            { ProgramTypes = new[] { VerifierProgramType.SockOps, VerifierProgramType.CgroupSockopt, VerifierProgramType.StructOps } });
        Add(new(59, "bpf_sock_ops_cb_flags_set", HelperReturn.Integer, new[] { Ctx, Anything }) { ProgramTypes = new[] { VerifierProgramType.SockOps } });
        Add(new(95, "bpf_sk_fullsock", HelperReturn.SocketOrNull, new[] { SockCommon })
            { ProgramTypes = new[] { VerifierProgramType.SchedCls, VerifierProgramType.SchedAct, VerifierProgramType.CgroupSkb, VerifierProgramType.SockOps } });
        var sysctl = new[] { VerifierProgramType.CgroupSysctl };
        Add(new(101, "bpf_sysctl_get_name", HelperReturn.Integer, new[] { Ctx, WritableMem, ConstSize, Anything }) { ProgramTypes = sysctl });
        Add(new(102, "bpf_sysctl_get_current_value", HelperReturn.Integer, new[] { Ctx, WritableMem, ConstSize }) { ProgramTypes = sysctl });
        Add(new(103, "bpf_sysctl_get_new_value", HelperReturn.Integer, new[] { Ctx, WritableMem, ConstSize }) { ProgramTypes = sysctl });
        Add(new(104, "bpf_sysctl_set_new_value", HelperReturn.Integer, new[] { Ctx, ReadableMem, ConstSize }) { ProgramTypes = sysctl });
        Add(new(105, "bpf_strtol", HelperReturn.Integer, new[] { ReadableMem, ConstSize, Anything, WritableLong }));
        Add(new(106, "bpf_strtoul", HelperReturn.Integer, new[] { ReadableMem, ConstSize, Anything, WritableLong }));
        Add(new(107, "bpf_sk_storage_get", HelperReturn.MapValueOrNull, new[] { ConstMapPtr, SockCommon, MapValueOrNull, Anything }) { MapTypes = SkStorageMaps });
        Add(new(108, "bpf_sk_storage_delete", HelperReturn.Integer, new[] { ConstMapPtr, SockCommon }) { MapTypes = SkStorageMaps });
        Add(new(113, "bpf_probe_read_kernel", HelperReturn.Integer, new[] { WritableMem, ConstSizeOrZero, Anything }));
        Add(new(115, "bpf_probe_read_kernel_str", HelperReturn.Integer, new[] { WritableMem, ConstSizeOrZero, Anything }));
        Add(new(125, "bpf_ktime_get_boot_ns", HelperReturn.Integer, new HelperArg[0]));
        Add(new(130, "bpf_ringbuf_output", HelperReturn.Integer, new[] { ConstMapPtr, ReadableMem, ConstSizeOrZero, Anything }) { MapTypes = RingbufMaps });
        Add(new(131, "bpf_ringbuf_reserve", HelperReturn.AllocMemOrNull, new[] { ConstMapPtr, ConstAllocSize, Anything }) { MapTypes = RingbufMaps });
        Add(new(132, "bpf_ringbuf_submit", HelperReturn.Void, new[] { ReleaseAllocMem, Anything }));
        Add(new(133, "bpf_ringbuf_discard", HelperReturn.Void, new[] { ReleaseAllocMem, Anything }));
        Add(new(134, "bpf_ringbuf_query", HelperReturn.Integer, new[] { ConstMapPtr, Anything }) { MapTypes = RingbufMaps });
        Add(new(181, "bpf_loop", HelperReturn.Integer, new[] { Anything, Func, Anything, Anything }));
    }

    private static void Add(HelperPrototype p) => ById[p.Id] = p;

    public static HelperPrototype? Find(int id) => ById.TryGetValue(id, out var p) ? p : null;

    public static IEnumerable<HelperPrototype> All => ById.Values;

    /// <summary>Helpers that need their map to be this helper's (a ringbuf map only with ringbuf helpers, etc.).</summary>
    public static int[]? HelpersForMapType(BpfMapType t) => t switch
    {
        BpfMapType.Ringbuf => new[] { 130, 131, 134 },
        BpfMapType.SkStorage => new[] { 107, 108 },
        BpfMapType.ProgArray => new[] { 12 },
        _ => null,
    };
}
