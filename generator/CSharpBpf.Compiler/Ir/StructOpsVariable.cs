using System;
using System.Collections.Generic;

namespace CSharpBpf.Compiler.Ir;

/// <summary>
/// An instance of a kernel ops struct (tcp_congestion_ops...) in .struct_ops or .struct_ops.link:
/// its function-pointer members name programs (each a <see cref="FunctionKind.Program"/> in a
/// "struct_ops/..." section), its other bytes (such as .name) come from <see cref="Data"/>.
/// The struct type may list only the members used; libbpf matches members by name.
/// </summary>
public sealed class StructOpsVariable
{
    public StructOpsVariable(string name, StructType type, bool link = false)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Type = type ?? throw new ArgumentNullException(nameof(type));
        Link = link;
        Data = new byte[type.Size];
    }

    public string Name { get; }
    public StructType Type { get; }
    /// <summary>.struct_ops.link (attached through a BPF link) instead of .struct_ops.</summary>
    public bool Link { get; }
    public byte[] Data { get; }
    /// <summary>Member name → program implementing it.</summary>
    public Dictionary<string, IrFunction> Programs { get; } = new();
    public SourceLocation Location { get; set; }

    public string SectionName => Link ? ".struct_ops.link" : ".struct_ops";

    /// <summary>Writes a string member (char[N], NUL-padded), e.g. the congestion control's name.</summary>
    public StructOpsVariable SetString(string member, string value)
    {
        var m = Type.Member(member) ?? throw new ArgumentException($"{Type.Name} has no member {member}", nameof(member));
        var bytes = System.Text.Encoding.ASCII.GetBytes(value);
        if (bytes.Length >= m.Type.Size) throw new ArgumentException($"{member} holds at most {m.Type.Size - 1} characters", nameof(value));
        Array.Clear(Data, m.ByteOffset, m.Type.Size);
        Array.Copy(bytes, 0, Data, m.ByteOffset, bytes.Length);
        return this;
    }
}
