using System;
using System.Collections.Generic;

namespace CSharpBpf.Compiler.Ir;

/// <summary>
/// The small type system the backend needs to emit BTF: the shapes of program parameters,
/// map keys and values, global variables and kernel structs. Types are compared by reference;
/// the BTF emitter deduplicates by identity, so build each named type once per module.
/// </summary>
public abstract class IrType
{
    /// <summary>Name in BTF; empty for anonymous types.</summary>
    public string Name { get; protected set; } = "";
    public abstract int Size { get; }
    public virtual int Align => Math.Max(1, Math.Min(8, Size));
    public override string ToString() => Name.Length > 0 ? Name : GetType().Name;
}

public sealed class VoidType : IrType
{
    public static readonly VoidType Instance = new();
    private VoidType() => Name = "void";
    public override int Size => 0;
    public override int Align => 1;
}

/// <summary>An integer of 1, 2, 4 or 8 bytes (BTF_KIND_INT).</summary>
public sealed class IntType : IrType
{
    public IntType(string name, int size, bool signed)
    {
        if (size is not (1 or 2 or 4 or 8)) throw new ArgumentOutOfRangeException(nameof(size), size, "integer sizes are 1, 2, 4 or 8 bytes");
        Name = name;
        ByteSize = size;
        Signed = signed;
    }

    public int ByteSize { get; }
    public bool Signed { get; }
    public override int Size => ByteSize;

    // C#-spelled standard instances; the frontend may build its own kernel-spelled ones too.
    public static readonly IntType SByte = new("sbyte", 1, true);
    public static readonly IntType Byte = new("byte", 1, false);
    public static readonly IntType Short = new("short", 2, true);
    public static readonly IntType UShort = new("ushort", 2, false);
    public static readonly IntType Int = new("int", 4, true);
    public static readonly IntType UInt = new("uint", 4, false);
    public static readonly IntType Long = new("long", 8, true);
    public static readonly IntType ULong = new("ulong", 8, false);
}

/// <summary>A one-byte boolean (BTF_KIND_INT with the BOOL encoding).</summary>
public sealed class BoolType : IrType
{
    public static readonly BoolType Instance = new();
    private BoolType() => Name = "bool";
    public override int Size => 1;
}

public sealed class EnumType : IrType
{
    public EnumType(string name, int size, bool signed, IReadOnlyList<KeyValuePair<string, long>> members)
    {
        Name = name;
        ByteSize = size;
        Signed = signed;
        Members = members;
    }

    public int ByteSize { get; }
    public bool Signed { get; }
    public IReadOnlyList<KeyValuePair<string, long>> Members { get; }
    public override int Size => ByteSize;
}

public sealed class PointerType : IrType
{
    public PointerType(IrType pointee) => Pointee = pointee ?? throw new ArgumentNullException(nameof(pointee));
    public IrType Pointee { get; }
    public override int Size => 8;
    public override string ToString() => Pointee + "*";
}

/// <summary>A typedef (kernel types use them: __u32, u64...). Size and alignment are the target's.</summary>
public sealed class TypedefType : IrType
{
    public TypedefType(string name, IrType target)
    {
        Name = name;
        Target = target;
    }

    public IrType Target { get; set; }
    public override int Size => Target.Size;
    public override int Align => Target.Align;
}

public sealed class ArrayType : IrType
{
    public ArrayType(IrType element, int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        Element = element;
        Count = count;
    }

    public IrType Element { get; }
    public int Count { get; }
    public override int Size => Element.Size * Count;
    public override int Align => Element.Align;
    public override string ToString() => $"{Element}[{Count}]";
}

/// <summary>One member of a struct or union. Offsets are in BITS as BTF stores them; a
/// non-zero <see cref="BitSize"/> marks a bitfield.</summary>
public sealed record StructMember(string Name, IrType Type, int BitOffset, int BitSize = 0)
{
    public int ByteOffset => BitOffset / 8;
    public bool IsBitfield => BitSize != 0;
}

/// <summary>
/// A struct or union. <see cref="IsKernelType"/> marks types whose layout belongs to the running
/// kernel: every field access through them gets a CO-RE relocation (like clang's
/// preserve_access_index), and their BTF goes into the object so the loader can match by name.
/// Members are mutable so self-referencing types (list_head) can be built.
/// </summary>
public sealed class StructType : IrType
{
    public StructType(string name, int size, bool isUnion = false, bool isKernelType = false, int align = 0)
    {
        Name = name;
        ByteSize = size;
        IsUnion = isUnion;
        IsKernelType = isKernelType;
        ExplicitAlign = align;
    }

    public int ByteSize { get; set; }
    public bool IsUnion { get; }
    public bool IsKernelType { get; }
    public int ExplicitAlign { get; }
    public List<StructMember> Members { get; } = new();
    public override int Size => ByteSize;

    public override int Align
    {
        get
        {
            if (ExplicitAlign > 0) return ExplicitAlign;
            int a = 1;
            foreach (var m in Members) a = Math.Max(a, m.Type.Align);
            return a;
        }
    }

    public StructType Add(string name, IrType type, int byteOffset)
    {
        Members.Add(new StructMember(name, type, byteOffset * 8));
        return this;
    }

    public StructType AddBitfield(string name, IrType type, int bitOffset, int bitSize)
    {
        Members.Add(new StructMember(name, type, bitOffset, bitSize));
        return this;
    }

    public StructMember? Member(string name) => Members.Find(m => m.Name == name);
}

public sealed record FuncParam(string Name, IrType Type);

/// <summary>A function prototype (BTF_KIND_FUNC_PROTO): for programs, subprograms, kfuncs, and
/// function pointers inside kernel structs (struct_ops members).</summary>
public sealed class FuncProtoType : IrType
{
    public FuncProtoType(IrType returnType, IReadOnlyList<FuncParam> parameters)
    {
        ReturnType = returnType;
        Parameters = parameters;
    }

    public IrType ReturnType { get; }
    public IReadOnlyList<FuncParam> Parameters { get; }
    public override int Size => 0;
    public override int Align => 1;
}
