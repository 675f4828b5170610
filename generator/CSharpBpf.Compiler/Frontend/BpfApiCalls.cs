using Microsoft.CodeAnalysis;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// The CSharpBpf API members the compiler lowers to helper calls, with the kernel's helper ids
/// (include/uapi/linux/bpf.h, __BPF_FUNC_MAPPER order) and argument types.
/// </summary>
public static class BpfApiCalls
{
    public const int MapLookupElem = 1, MapUpdateElem = 2, MapDeleteElem = 3, KtimeGetNs = 5, TracePrintk = 6,
        GetPrandomU32 = 7, TailCall = 12, GetCurrentPidTgid = 14, GetSocketCookie = 46, RedirectMap = 51, SkFullsock = 95, ProbeReadKernel = 113,
        RingbufOutput = 130, RingbufReserve = 131, RingbufSubmit = 132, RingbufDiscard = 133;

    /// <summary>True when <paramref name="m"/> (a member of the CSharpBpf namespace) has a lowering.</summary>
    public static bool IsSupported(IMethodSymbol m)
    {
        var type = m.ContainingType;
        if (type is null) return false;
        if (KnownSymbols.MapTypeOf(type) is { } mapType)
        {
            return mapType switch
            {
                BpfMapType.Ringbuf => m.Name is "Output" or "Reserve" or "Submit" or "Discard",
                BpfMapType.ProgArray => m.Name is "TailCall",
                BpfMapType.DevmapHash => m.Name is "Lookup" or "Update" or "Delete" or "Redirect",
                BpfMapType.Array or BpfMapType.PercpuArray => m.Name is "Lookup" or "Update",
                _ => m.Name is "Lookup" or "Update" or "Delete",
            };
        }
        return type.Name == "Bpf" && (m.Name is "KtimeGetNs" or "GetPrandomU32" or "GetCurrentPidTgid" or "TracePrintk" or "GetSocketCookie" or "SkFullsock" or "ProbeReadKernel"
            || ByteOrderCalls.IsNetworkOrder(m.Name));
    }

    private static readonly PointerType VoidPtr = new(VoidType.Instance);

    internal static IrFunction Helper(IrModule module, int id) => id switch
    {
        MapLookupElem => module.Helper("bpf_map_lookup_elem", id, VoidPtr, VoidPtr, VoidPtr),
        MapUpdateElem => module.Helper("bpf_map_update_elem", id, IntType.Long, VoidPtr, VoidPtr, VoidPtr, IntType.ULong),
        MapDeleteElem => module.Helper("bpf_map_delete_elem", id, IntType.Long, VoidPtr, VoidPtr),
        KtimeGetNs => module.Helper("bpf_ktime_get_ns", id, IntType.ULong),
        TracePrintk => module.Helper("bpf_trace_printk", id, IntType.Long, VoidPtr, IntType.UInt, IntType.ULong, IntType.ULong, IntType.ULong),
        GetPrandomU32 => module.Helper("bpf_get_prandom_u32", id, IntType.UInt),
        GetCurrentPidTgid => module.Helper("bpf_get_current_pid_tgid", id, IntType.ULong),
        TailCall => module.Helper("bpf_tail_call", id, IntType.Long, VoidPtr, VoidPtr, IntType.UInt),
        GetSocketCookie => module.Helper("bpf_get_socket_cookie", id, IntType.ULong, VoidPtr),
        RedirectMap => module.Helper("bpf_redirect_map", id, IntType.Long, VoidPtr, IntType.UInt, IntType.ULong),
        SkFullsock => module.Helper("bpf_sk_fullsock", id, VoidPtr, VoidPtr),
        ProbeReadKernel => module.Helper("bpf_probe_read_kernel", id, IntType.Long, VoidPtr, IntType.UInt, VoidPtr),
        RingbufOutput => module.Helper("bpf_ringbuf_output", id, IntType.Long, VoidPtr, VoidPtr, IntType.ULong, IntType.ULong),
        RingbufReserve => module.Helper("bpf_ringbuf_reserve", id, VoidPtr, VoidPtr, IntType.ULong, IntType.ULong),
        RingbufSubmit => module.Helper("bpf_ringbuf_submit", id, VoidType.Instance, VoidPtr, IntType.ULong),
        RingbufDiscard => module.Helper("bpf_ringbuf_discard", id, VoidType.Instance, VoidPtr, IntType.ULong),
        _ => throw new System.ArgumentOutOfRangeException(nameof(id), id, "unknown helper"),
    };
}
