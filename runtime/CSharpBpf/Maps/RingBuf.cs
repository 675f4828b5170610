namespace CSharpBpf;

/// <summary>BPF_MAP_TYPE_RINGBUF: a multi-producer single-consumer byte ring shared with user space.
/// <c>[Map(MaxEntries = …)]</c> is its size in bytes (a power of two, a multiple of the page size).</summary>
public readonly unsafe struct RingBuf
{
    /// <summary>bpf_ringbuf_output: copies <paramref name="data"/> into the ring. 0 or a negative errno.</summary>
    public long Output<T>(T data, ulong flags = 0) where T : unmanaged => throw BpfOnlyException.For("RingBuf.Output");

    /// <summary>bpf_ringbuf_reserve: room for one T, or null when the ring is full. Every non-null
    /// reservation must reach <see cref="Submit"/> or <see cref="Discard"/> on every path.</summary>
    public T* Reserve<T>(ulong flags = 0) where T : unmanaged => throw BpfOnlyException.For("RingBuf.Reserve");

    /// <summary>bpf_ringbuf_submit.</summary>
    public static void Submit(void* data, ulong flags = 0) => throw BpfOnlyException.For("RingBuf.Submit");

    /// <summary>bpf_ringbuf_discard.</summary>
    public static void Discard(void* data, ulong flags = 0) => throw BpfOnlyException.For("RingBuf.Discard");
}
