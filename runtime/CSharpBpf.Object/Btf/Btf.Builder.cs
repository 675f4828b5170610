namespace CSharpBpf.Object.Btf;

// Builder API: one method per kind, each adding the type and returning it with its id set, so
// the compiler writes e.g. `var s = btf.AddStruct("pair", 8); s.AddMember("a", intId, 0);`.
public sealed partial class Btf
{
    public BtfInt AddInt(string name, uint size, BtfIntEncoding encoding, uint bits = 0, byte offset = 0) =>
        Add(new BtfInt(name, size, encoding, bits, offset));

    public BtfFloat AddFloat(string name, uint size) => Add(new BtfFloat(name, size));

    public BtfPtr AddPtr(uint targetTypeId) => Add(new BtfPtr(targetTypeId));

    public BtfArray AddArray(uint elementTypeId, uint indexTypeId, uint length) =>
        Add(new BtfArray(elementTypeId, indexTypeId, length));

    public BtfStruct AddStruct(string name, uint size) => Add(new BtfStruct(name, size));

    public BtfUnion AddUnion(string name, uint size) => Add(new BtfUnion(name, size));

    public BtfEnum AddEnum(string name, uint size = 4, bool isSigned = false) => Add(new BtfEnum(name, size, isSigned));

    public BtfEnum64 AddEnum64(string name, uint size = 8, bool isSigned = false) => Add(new BtfEnum64(name, size, isSigned));

    public BtfFwd AddFwd(string name, bool isUnion = false) => Add(new BtfFwd(name, isUnion));

    public BtfTypedef AddTypedef(string name, uint typeId) => Add(new BtfTypedef(name, typeId));

    public BtfVolatile AddVolatile(uint typeId) => Add(new BtfVolatile(typeId));

    public BtfConst AddConst(uint typeId) => Add(new BtfConst(typeId));

    public BtfRestrict AddRestrict(uint typeId) => Add(new BtfRestrict(typeId));

    public BtfTypeTag AddTypeTag(string name, uint typeId, bool isAttribute = false) => Add(new BtfTypeTag(name, typeId, isAttribute));

    public BtfFuncProto AddFuncProto(uint returnTypeId) => Add(new BtfFuncProto(returnTypeId));

    public BtfFunc AddFunc(string name, uint protoTypeId, BtfFuncLinkage linkage) => Add(new BtfFunc(name, protoTypeId, linkage));

    public BtfVar AddVar(string name, uint typeId, BtfVarLinkage linkage) => Add(new BtfVar(name, typeId, linkage));

    public BtfDatasec AddDatasec(string name, uint size) => Add(new BtfDatasec(name, size));

    public BtfDeclTag AddDeclTag(string name, uint typeId, int componentIndex = -1, bool isAttribute = false) =>
        Add(new BtfDeclTag(name, typeId, componentIndex, isAttribute));
}
