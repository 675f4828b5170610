using System.Collections.Generic;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Object.Btf;
using BtfModel = CSharpBpf.Object.Btf.Btf;

// Namespace Emit (not "Btf") so no code in CSharpBpf.Compiler sees a namespace shadowing the Btf type.
namespace CSharpBpf.Compiler.Emit;

/// <summary>
/// Translates IR types into BTF types of one object, once each (by identity; integers by
/// name, size and signedness). Structs are added before their members are resolved, so
/// self-referencing kernel types terminate.
/// </summary>
public sealed class BtfTypeEmitter
{
    private readonly Dictionary<IrType, uint> _ids = new();
    private readonly Dictionary<(string, int, bool), uint> _ints = new();
    private uint _arrayIndexType;

    public BtfTypeEmitter(BtfModel btf) => Btf = btf;

    public BtfModel Btf { get; }

    public uint Id(IrType type)
    {
        if (type is VoidType) return 0;
        if (_ids.TryGetValue(type, out var id)) return id;
        switch (type)
        {
            case IntType i:
                id = Int(i.Name, i.Size, i.Signed);
                break;
            case BoolType:
                id = Btf.AddInt("bool", 1, BtfIntEncoding.Bool, 8).Id;
                break;
            case EnumType e:
            {
                BtfEnumBase en = e.Size == 8 ? Btf.AddEnum64(e.Name, 8, e.Signed) : Btf.AddEnum(e.Name, (uint)e.Size, e.Signed);
                foreach (var kv in e.Members) en.AddValue(kv.Key, kv.Value);
                id = en.Id;
                break;
            }
            case PointerType p:
            {
                var ptr = Btf.AddPtr(0);
                _ids[type] = ptr.Id;
                ptr.TypeId = Id(p.Pointee);
                return ptr.Id;
            }
            case TypedefType t:
            {
                var td = Btf.AddTypedef(t.Name, 0);
                _ids[type] = td.Id;
                td.TypeId = Id(t.Target);
                return td.Id;
            }
            case ArrayType a:
                id = Btf.AddArray(Id(a.Element), ArrayIndexType(), (uint)a.Count).Id;
                break;
            case StructType s:
            {
                BtfComposite c = s.IsUnion ? Btf.AddUnion(s.Name, (uint)s.Size) : Btf.AddStruct(s.Name, (uint)s.Size);
                _ids[type] = c.Id;
                foreach (var m in s.Members) c.AddMember(m.Name, Id(m.Type), (uint)m.BitOffset, (uint)m.BitSize);
                return c.Id;
            }
            case FuncProtoType fp:
                id = Proto(fp.ReturnType, fp.Parameters);
                break;
            default:
                throw new System.ArgumentException($"no BTF for IR type {type.GetType().Name}", nameof(type));
        }
        _ids[type] = id;
        return id;
    }

    public uint Int(string name, int size, bool signed)
    {
        var key = (name, size, signed);
        if (_ints.TryGetValue(key, out var id)) return id;
        id = Btf.AddInt(name, (uint)size, signed ? BtfIntEncoding.Signed : BtfIntEncoding.None, (uint)size * 8).Id;
        _ints[key] = id;
        return id;
    }

    public uint Proto(IrType returnType, IReadOnlyList<FuncParam> parameters)
    {
        var proto = Btf.AddFuncProto(0);
        proto.ReturnTypeId = Id(returnType);
        foreach (var p in parameters) proto.AddParameter(p.Name, Id(p.Type));
        return proto.Id;
    }

    /// <summary>clang's index type for arrays (and for libbpf's __uint encoding).</summary>
    public uint ArrayIndexType()
    {
        if (_arrayIndexType == 0) _arrayIndexType = Int("__ARRAY_SIZE_TYPE__", 4, false);
        return _arrayIndexType;
    }

    /// <summary>libbpf's __uint(name, value): a pointer to an array of <paramref name="value"/> ints.</summary>
    public uint UintMarker(uint value)
    {
        var arr = Btf.AddArray(Int("int", 4, true), ArrayIndexType(), value);
        return Btf.AddPtr(arr.Id).Id;
    }
}
