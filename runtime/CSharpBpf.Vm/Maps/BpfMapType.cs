using System;

namespace CSharpBpf.Vm.Maps;

/// <summary>Map types, numbered as enum bpf_map_type in include/uapi/linux/bpf.h.</summary>
public enum BpfMapType : uint
{
    Hash = 1,
    Array = 2,
    ProgArray = 3,
    PercpuHash = 5,
    PercpuArray = 6,
    LruHash = 9,
    LruPercpuHash = 10,
    SkStorage = 24,
    DevmapHash = 25,
    Ringbuf = 27,
}

/// <summary>The flags of map_update_elem (BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK).</summary>
[Flags]
public enum MapUpdateFlags : ulong
{
    Any = 0,
    NoExist = 1,
    Exist = 2,
    Lock = 4,
}

/// <summary>errno values helpers and map operations return negated, as the kernel does.</summary>
public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, E2BIG = 7, EAGAIN = 11, ENOMEM = 12, EBUSY = 16, EEXIST = 17,
        EINVAL = 22, ENOSPC = 28, ERANGE = 34, EOPNOTSUPP = 95;

    /// <summary>-errno as a 64-bit register value.</summary>
    public static ulong Neg(int errno) => unchecked((ulong)-(long)errno);
}

/// <summary>How to create a map: the fields of BPF_MAP_CREATE that matter to the VM.</summary>
public sealed record MapSpec(string Name, BpfMapType Type, int KeySize, int ValueSize, int MaxEntries, uint Flags = 0)
{
    /// <summary>BPF_F_RDONLY_PROG: programs may read but not write values (.rodata).</summary>
    public const uint ReadOnlyProg = 1u << 7;
}
