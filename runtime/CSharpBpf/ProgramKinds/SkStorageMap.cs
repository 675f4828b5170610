using CSharpBpf.Kernel;

namespace CSharpBpf;

/// <summary>
/// Socket local storage (BPF_MAP_TYPE_SK_STORAGE): one <typeparamref name="T"/> per socket, freed with
/// the socket. Declare with <c>[Map(MaxEntries = 1)]</c> (the kernel map has no size: the compiler
/// emits max_entries 0 and BPF_F_NO_PREALLOC as the kernel requires).
/// </summary>
public readonly unsafe struct SkStorageMap<T> where T : unmanaged
{
    /// <summary>bpf_sk_storage_get (107): the socket's value, or null; with <see cref="SkStorageGet.Create"/> it is
    /// created from <paramref name="initial"/> (null = zeroes) when missing.</summary>
    public T* Get(bpf_sock* sk, T* initial, SkStorageGet flags) => throw BpfOnlyException.For("SkStorageMap.Get");

    /// <summary>bpf_sk_storage_get on a full kernel socket (struct_ops, tracing).</summary>
    public T* Get(sock* sk, T* initial, SkStorageGet flags) => throw BpfOnlyException.For("SkStorageMap.Get");

    /// <summary>bpf_sk_storage_delete (108): 0, or -ENOENT.</summary>
    public int Delete(bpf_sock* sk) => throw BpfOnlyException.For("SkStorageMap.Delete");
}
