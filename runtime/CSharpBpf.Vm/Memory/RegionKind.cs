namespace CSharpBpf.Vm.Memory;

/// <summary>What a memory region stands for; shown in error messages and used by helpers to check pointer kinds.</summary>
public enum RegionKind
{
    Stack,
    Context,
    Packet,
    MapValue,
    /// <summary>The map itself (what LD_IMM64 with a map fd yields): not readable by programs.</summary>
    Map,
    /// <summary>A simulated kernel object (socket, tcp_sock, …), laid out as the kernel lays it out.</summary>
    KernelObject,
    /// <summary>Function addresses (LD_IMM64 with BPF_PSEUDO_FUNC): callable, not readable.</summary>
    Code,
    /// <summary>Any other buffer a test or helper hands to the program (sockopt optval, ringbuf samples, …).</summary>
    Buffer,
}
