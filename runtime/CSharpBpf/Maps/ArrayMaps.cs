namespace CSharpBpf;

// Map types are empty structs: a static field of one needs no initialiser, and the compiler only
// reads the field's type, attribute and name. Their bodies throw natively (BpfOnlyException).

/// <summary>BPF_MAP_TYPE_ARRAY: <c>MaxEntries</c> preallocated values indexed by a uint key.</summary>
public readonly unsafe struct ArrayMap<T> where T : unmanaged
{
    /// <summary>A pointer to the element, or null when <paramref name="key"/> is out of range.</summary>
    public T* Lookup(uint key) => throw BpfOnlyException.For("ArrayMap.Lookup");

    public long Update(uint key, T value, MapUpdate flags = MapUpdate.Any) => throw BpfOnlyException.For("ArrayMap.Update");
}

/// <summary>BPF_MAP_TYPE_PERCPU_ARRAY: one value per CPU per key; Lookup sees the current CPU's.</summary>
public readonly unsafe struct PercpuArrayMap<T> where T : unmanaged
{
    public T* Lookup(uint key) => throw BpfOnlyException.For("PercpuArrayMap.Lookup");

    public long Update(uint key, T value, MapUpdate flags = MapUpdate.Any) => throw BpfOnlyException.For("PercpuArrayMap.Update");
}

/// <summary>BPF_MAP_TYPE_PROG_ARRAY: program fds indexed by slot, the target of tail calls.</summary>
public readonly unsafe struct ProgArray
{
    /// <summary>bpf_tail_call: jumps to the program in <paramref name="index"/> and never returns when it
    /// exists; when it does not, execution continues after the call.</summary>
    public void TailCall(void* ctx, uint index) => throw BpfOnlyException.For("ProgArray.TailCall");
}
