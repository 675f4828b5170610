namespace CSharpBpf.Object.Objects;

/// <summary>What a relocation in a program section refers to, as a loader must resolve it.</summary>
public enum BpfRelocationKind
{
    /// <summary>LD_IMM64 of a map (a symbol in .maps or the legacy maps section): becomes a map fd.</summary>
    Map,
    /// <summary>LD_IMM64 of a global variable (.data/.rodata/.bss): becomes map value address + offset.</summary>
    GlobalData,
    /// <summary>A bpf-to-bpf call to a function in another section (or a global function).</summary>
    SubprogramCall,
    /// <summary>LD_IMM64 of a function address (callbacks such as bpf_loop's).</summary>
    SubprogramAddress,
    /// <summary>A call to an extern function (.ksyms kfunc): becomes a kfunc call by BTF id.</summary>
    KfuncCall,
    /// <summary>LD_IMM64 of an extern: a .ksyms/.kconfig variable, or a __weak kfunc's address
    /// (C's "if (kfunc)" existence test; libbpf loads 1 or 0).</summary>
    ExternVariable,
}
