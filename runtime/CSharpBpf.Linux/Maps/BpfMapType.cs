namespace CSharpBpf.Linux.Maps;

/// <summary>enum bpf_map_type.</summary>
public enum BpfMapType : uint
{
    Unspec = 0, Hash = 1, Array = 2, ProgArray = 3, PerfEventArray = 4, PercpuHash = 5, PercpuArray = 6,
    StackTrace = 7, CgroupArray = 8, LruHash = 9, LruPercpuHash = 10, LpmTrie = 11, ArrayOfMaps = 12,
    HashOfMaps = 13, Devmap = 14, Sockmap = 15, Cpumap = 16, Xskmap = 17, Sockhash = 18,
    CgroupStorage = 19, ReuseportSockarray = 20, PercpuCgroupStorage = 21, Queue = 22, Stack = 23,
    SkStorage = 24, DevmapHash = 25, StructOps = 26, Ringbuf = 27, InodeStorage = 28, TaskStorage = 29,
    BloomFilter = 30, UserRingbuf = 31, CgrpStorage = 32, Arena = 33,
}

/// <summary>BPF_MAP_CREATE flags (map_flags).</summary>
[System.Flags]
public enum BpfMapFlags : uint
{
    None = 0,
    NoPrealloc = 1 << 0,
    NoCommonLru = 1 << 1,
    NumaNode = 1 << 2,
    Rdonly = 1 << 3,
    Wronly = 1 << 4,
    StackBuildId = 1 << 5,
    ZeroSeed = 1 << 6,
    RdonlyProg = 1 << 7,
    WronlyProg = 1 << 8,
    Clone = 1 << 9,
    Mmapable = 1 << 10,
    PreserveElems = 1 << 11,
    InnerMap = 1 << 12,
    /// <summary>struct_ops map registered through a link (.struct_ops.link).</summary>
    Link = 1 << 13,
}

/// <summary>BPF_MAP_UPDATE_ELEM flags.</summary>
public enum BpfUpdateFlags : ulong
{
    Any = 0,
    NoExist = 1,
    Exist = 2,
    Lock = 4,
}

public static class BpfMapTypeFacts
{
    /// <summary>Per-CPU maps hold one value slot per possible CPU, each rounded up to 8 bytes, in user space.</summary>
    public static bool IsPerCpu(this BpfMapType t) =>
        t is BpfMapType.PercpuArray or BpfMapType.PercpuHash or BpfMapType.LruPercpuHash or BpfMapType.PercpuCgroupStorage;

    /// <summary>The libbpf/bpftool spelling, e.g. "devmap_hash".</summary>
    public static string KernelName(this BpfMapType t) => t switch
    {
        BpfMapType.LruHash => "lru_hash",
        BpfMapType.LruPercpuHash => "lru_percpu_hash",
        BpfMapType.PercpuHash => "percpu_hash",
        BpfMapType.PercpuArray => "percpu_array",
        BpfMapType.ProgArray => "prog_array",
        BpfMapType.SkStorage => "sk_storage",
        BpfMapType.DevmapHash => "devmap_hash",
        BpfMapType.StructOps => "struct_ops",
        BpfMapType.PerfEventArray => "perf_event_array",
        _ => t.ToString().ToLowerInvariant(),
    };
}
