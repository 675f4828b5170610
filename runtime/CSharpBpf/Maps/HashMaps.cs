namespace CSharpBpf;

/// <summary>BPF_MAP_TYPE_HASH.</summary>
public readonly unsafe struct HashMap<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    /// <summary>A pointer to the value, or null when the key is absent: check it before use.</summary>
    public TValue* Lookup(TKey key) => throw BpfOnlyException.For("HashMap.Lookup");

    public long Update(TKey key, TValue value, MapUpdate flags = MapUpdate.Any) => throw BpfOnlyException.For("HashMap.Update");

    public long Delete(TKey key) => throw BpfOnlyException.For("HashMap.Delete");
}

/// <summary>BPF_MAP_TYPE_PERCPU_HASH.</summary>
public readonly unsafe struct PercpuHashMap<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    public TValue* Lookup(TKey key) => throw BpfOnlyException.For("PercpuHashMap.Lookup");

    public long Update(TKey key, TValue value, MapUpdate flags = MapUpdate.Any) => throw BpfOnlyException.For("PercpuHashMap.Update");

    public long Delete(TKey key) => throw BpfOnlyException.For("PercpuHashMap.Delete");
}

/// <summary>BPF_MAP_TYPE_LRU_HASH: a hash map that evicts the least recently used entry when full.</summary>
public readonly unsafe struct LruHashMap<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    public TValue* Lookup(TKey key) => throw BpfOnlyException.For("LruHashMap.Lookup");

    public long Update(TKey key, TValue value, MapUpdate flags = MapUpdate.Any) => throw BpfOnlyException.For("LruHashMap.Update");

    public long Delete(TKey key) => throw BpfOnlyException.For("LruHashMap.Delete");
}

/// <summary>BPF_MAP_TYPE_DEVMAP_HASH: egress devices (ifindex values) keyed by a uint, the target of XDP redirect.</summary>
public readonly unsafe struct DevMapHash
{
    public uint* Lookup(uint key) => throw BpfOnlyException.For("DevMapHash.Lookup");

    public long Update(uint key, uint ifindex, MapUpdate flags = MapUpdate.Any) => throw BpfOnlyException.For("DevMapHash.Update");

    public long Delete(uint key) => throw BpfOnlyException.For("DevMapHash.Delete");

    /// <summary>bpf_redirect_map: XDP_REDIRECT to the device under <paramref name="key"/>; when it is absent,
    /// the low bits of <paramref name="flags"/> are the action returned instead (e.g. (ulong)XdpAction.Pass).</summary>
    public XdpAction Redirect(uint key, ulong flags = 0) => throw BpfOnlyException.For("DevMapHash.Redirect");
}
