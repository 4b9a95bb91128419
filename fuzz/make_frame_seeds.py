import struct, os, json, sys
M64=(1<<64)-1
def checksum(data):
    h=(14695981039346656037 ^ len(data)) & M64
    i=0
    while i+8<=len(data):
        w=int.from_bytes(data[i:i+8],'little'); h=((h^w)*1099511628211)&M64; h^=h>>29; i+=8
    for b in data[i:]:
        h=((h^b)*1099511628211)&M64
    return (h^(h>>32))&0xffffffff
def frame(t, seq, payload):
    return struct.pack('<IIIIII',0x52474c4b,t,seq,len(payload),checksum(payload),0)+payload
def s(x): b=x.encode(); return struct.pack('<I',len(b))+b
def result(index, outs, ret=0.5):
    b=struct.pack('<Iddd',index,0.001,0.002,ret)
    for n in outs:
        b+=struct.pack('<Q',n)+b''.join(struct.pack('<d',0.25*k) for k in range(n))
    return b
outs=[[],[2,2],[1,1],[4],[0,0]]
def results(first, count):
    return struct.pack('<I',count)+b''.join(result(first+k,outs[first+k]) for k in range(count))
loaded=b'\x00'+struct.pack('<I',4)+b'\x01\x01\x00\x01'+struct.pack('<I',2)+s('process')+s('seccomp')+struct.pack('<I',1)+s('landlock: not supported')
loaded_err=b'\x01'+s('the library cannot be loaded: bad ELF')+struct.pack('<I',0)+struct.pack('<I',0)+struct.pack('<I',0)
fatal=s('the worker received a garbled request')
T={'Loaded':0x101,'Results':0x102,'Fatal':0x103}
K={'Loaded':0,'Results':1,'Fatal':2}
def framed(entries, seed=7):
    b=bytes([1,seed])
    for name,seq,p in entries:
        b+=bytes([K[name],seq])+struct.pack('<H',len(p))+p
    return b
def raw(entries, seed=3, junk=b''):
    return bytes([0,seed])+b''.join(frame(T[n],seq,p) for n,seq,p in entries)+junk
out=sys.argv[1]
seeds={
 'framed-loaded-then-all-results': framed([('Loaded',0,loaded),('Results',1,results(0,5))]),
 'framed-results-in-two-replies': framed([('Results',1,results(0,2)),('Results',1,results(2,3))]),
 'framed-load-error': framed([('Loaded',0,loaded_err)]),
 'framed-fatal': framed([('Results',1,results(0,1)),('Fatal',0,fatal)]),
 'raw-loaded-results': raw([('Loaded',0,loaded),('Results',1,results(0,5))]),
 'raw-results-then-garbage': raw([('Results',1,results(0,3))], junk=b'\x7fELF garbage PASS Total: 138/138'),
 'raw-fatal': raw([('Fatal',0,fatal)],seed=60),
}
for k,v in seeds.items(): open(os.path.join(out,k),'wb').write(v)
