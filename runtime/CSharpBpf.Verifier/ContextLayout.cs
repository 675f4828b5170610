using System.Collections.Generic;

namespace CSharpBpf.Verifier;

/// <summary>How one context field may be accessed and what a load of it yields.</summary>
public sealed record ContextField(string Name, int Offset, int Size, RegType LoadType = RegType.Scalar,
    bool Readable = true, bool Writable = false, bool LoadMaybeNull = false)
{
    /// <summary>Pointer fields must be read whole; scalar fields allow narrower aligned loads.</summary>
    public bool AllowsNarrowLoad => LoadType == RegType.Scalar;
}

/// <summary>
/// A context struct as the verifier sees it for one program type: its size and a field table.
/// Bytes not covered by a field are refused like the kernel's is_valid_access refuses them.
/// </summary>
public sealed class ContextLayout
{
    public ContextLayout(string name, int size, IEnumerable<ContextField> fields)
    {
        Name = name;
        Size = size;
        Fields = new List<ContextField>(fields);
    }

    public string Name { get; }
    public int Size { get; }
    public IReadOnlyList<ContextField> Fields { get; }
    /// <summary>True for tracing/struct_ops "u64 args[]" contexts: whole 8-byte reads only.</summary>
    public bool IsArgumentArray { get; init; }

    public ContextField? FieldAt(int offset)
    {
        foreach (var f in Fields)
            if (offset >= f.Offset && offset < f.Offset + f.Size) return f;
        return null;
    }
}
