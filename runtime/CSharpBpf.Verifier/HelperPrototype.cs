using System.Collections.Generic;

namespace CSharpBpf.Verifier;

/// <summary>Argument kinds of helper prototypes (the kernel's enum bpf_arg_type, the ones modelled).</summary>
public enum HelperArg
{
    None,
    /// <summary>Any initialised value.</summary>
    Anything,
    ConstMapPtr,
    /// <summary>Pointer to key_size initialised bytes (stack, map value or packet).</summary>
    MapKey,
    /// <summary>Pointer to value_size initialised bytes.</summary>
    MapValue,
    /// <summary>NULL or a pointer to value_size initialised bytes (bpf_sk_storage_get's init value).</summary>
    MapValueOrNull,
    Ctx,
    /// <summary>Pointer to readable, initialised memory whose size is the next argument.</summary>
    ReadableMem,
    /// <summary>Pointer to writable memory whose size is the next argument (the helper fills it).</summary>
    WritableMem,
    ConstSize,
    ConstSizeOrZero,
    /// <summary>A constant size the helper allocates (bpf_ringbuf_reserve).</summary>
    ConstAllocSize,
    /// <summary>struct bpf_sock (socket or sock_common, not NULL).</summary>
    SockCommon,
    /// <summary>Memory acquired by bpf_ringbuf_reserve; the call releases it.</summary>
    ReleaseAllocMem,
    Func,
    /// <summary>Pointer to 8 writable bytes (bpf_strtol's result).</summary>
    WritableLong,
}

public enum HelperReturn
{
    Integer,
    Void,
    /// <summary>Pointer to the map's value (map = first argument) or NULL.</summary>
    MapValueOrNull,
    SocketOrNull,
    /// <summary>Memory of the constant size in argument 2, or NULL; acquires a reference (bpf_ringbuf_reserve).</summary>
    AllocMemOrNull,
}

/// <summary>
/// One helper's prototype. <see cref="ProgramTypes"/> restricts availability (null = every modelled type);
/// <see cref="MapTypes"/> are the map types the helper accepts (check_map_func_compatibility).
/// </summary>
public sealed record HelperPrototype(int Id, string Name, HelperReturn Return, HelperArg[] Args)
{
    public IReadOnlyCollection<VerifierProgramType>? ProgramTypes { get; init; }
    public IReadOnlyCollection<CSharpBpf.Object.Objects.BpfMapType>? MapTypes { get; init; }

    /// <summary>The helper may move, grow or shrink packet data (the kernel's bpf_helper_changes_pkt_data): after the
    /// call every packet pointer the program holds is invalid (clear_all_pkt_pointers).</summary>
    public bool ChangesPacketData { get; init; }
}
