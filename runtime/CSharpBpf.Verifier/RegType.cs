namespace CSharpBpf.Verifier;

/// <summary>What the verifier knows a register (or spilled stack slot) holds; the kernel's bpf_reg_type.</summary>
public enum RegType
{
    NotInit,
    Scalar,
    PtrToCtx,
    PtrToStack,
    PtrToPacket,
    PtrToPacketMeta,
    PtrToPacketEnd,
    PtrToMapValue,
    ConstPtrToMap,
    /// <summary>Memory of a known size returned by a helper (bpf_ringbuf_reserve).</summary>
    PtrToMem,
    /// <summary>A kernel object typed by BTF (struct_ops and tracing arguments).</summary>
    PtrToBtfId,
    /// <summary>struct bpf_sock (full socket), e.g. from bpf_sk_fullsock.</summary>
    PtrToSocket,
    /// <summary>struct bpf_sock that may be a request/timewait socket (__sk_buff->sk, bpf_sock_ops->sk).</summary>
    PtrToSockCommon,
    /// <summary>A BPF subprogram address (ld_imm64 src=4), e.g. a bpf_loop callback.</summary>
    PtrToFunc,
}

internal static class RegTypeNames
{
    /// <summary>Kernel spelling, so messages read like the kernel's log.</summary>
    public static string Name(RegType t, bool maybeNull) => t switch
    {
        RegType.NotInit => "?",
        RegType.Scalar => "scalar",
        RegType.PtrToCtx => "ctx",
        RegType.PtrToStack => "fp",
        RegType.PtrToPacket => "pkt",
        RegType.PtrToPacketMeta => "pkt_meta",
        RegType.PtrToPacketEnd => "pkt_end",
        RegType.PtrToMapValue => maybeNull ? "map_value_or_null" : "map_value",
        RegType.ConstPtrToMap => maybeNull ? "map_ptr_or_null" : "map_ptr",
        RegType.PtrToMem => maybeNull ? "mem_or_null" : "mem",
        RegType.PtrToBtfId => "ptr_",
        RegType.PtrToSocket => maybeNull ? "sock_or_null" : "sock",
        RegType.PtrToSockCommon => maybeNull ? "sock_common_or_null" : "sock_common",
        RegType.PtrToFunc => "func",
        _ => t.ToString(),
    };
}
