namespace CSharpBpf.Vm.Memory;

/// <summary>
/// A region whose loads and stores are computed rather than read from bytes. This is how the VM
/// models the kernel's context access rewriting: <c>xdp_md-&gt;data</c> is a u32 in UAPI, yet a
/// 4-byte load of it yields a full 64-bit packet pointer, exactly as the verifier's rewrite does.
/// </summary>
public interface IVirtualMemory
{
    /// <summary>Loads <paramref name="size"/> bytes at <paramref name="offset"/>; false when the access is not allowed.</summary>
    bool TryLoad(int offset, int size, out ulong value);

    /// <summary>Stores the low <paramref name="size"/> bytes of <paramref name="value"/>; false when not allowed.</summary>
    bool TryStore(int offset, int size, ulong value);
}
