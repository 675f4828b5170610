using System.Collections.Generic;

namespace CSharpBpf.Object.Btf;

/// <summary>A FUNC_PROTO parameter. A last parameter with type 0 and no name marks "...".</summary>
public sealed class BtfParam : BtfNamedItem
{
    public BtfParam(string name, uint typeId) : base(name) => TypeId = typeId;

    public uint TypeId { get; set; }

    public override string ToString() => $"'{Name}' type_id={TypeId}";
}

/// <summary>FUNC_PROTO: return type and parameters. Always anonymous; a FUNC names it.</summary>
public sealed class BtfFuncProto : BtfType
{
    public BtfFuncProto(uint returnTypeId) : base("") => ReturnTypeId = returnTypeId;

    public override BtfKind Kind => BtfKind.FuncProto;

    /// <summary>Return type (0 = void).</summary>
    public uint ReturnTypeId { get; set; }

    public List<BtfParam> Parameters { get; } = new();

    public bool IsVariadic => Parameters.Count > 0 && Parameters[Parameters.Count - 1].TypeId == 0;

    /// <summary>Adds a parameter (builder API).</summary>
    public BtfParam AddParameter(string name, uint typeId)
    {
        var p = new BtfParam(name, typeId);
        Parameters.Add(p);
        return p;
    }
}
