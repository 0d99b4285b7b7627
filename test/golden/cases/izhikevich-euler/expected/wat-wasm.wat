(module
 (type $0 (func (param f64) (result f64)))
 (type $1 (func (param i32)))
 (type $2 (func (param f64 f64) (result f64)))
 (type $3 (func (param i32 i32 i32 i32 i32 i32)))
 (type $4 (func (param i32 i32) (result i32)))
 (import "env" "memory" (memory $memory 10))
 (import "Math" "exp" (func $Math_exp (param f64) (result f64)))
 (import "Math" "log" (func $Math_log (param f64) (result f64)))
 (import "Math" "tanh" (func $Math_tanh (param f64) (result f64)))
 (import "Math" "sin" (func $Math_sin (param f64) (result f64)))
 (import "Math" "cos" (func $Math_cos (param f64) (result f64)))
 (import "Math" "pow" (func $Math_pow (param f64 f64) (result f64)))
 (import "runtime" "fillUniform01" (func $fillUniform01 (param i32 i32 i32 i32 i32 i32)))
 (export "run" (func $run))
 (func $g0_step (param $0 i32)
  (local $1 i32)
  (local $2 v128)
  (local $3 v128)
  (local $4 i32)
  (local $5 v128)
  (local $6 i32)
  (local $7 i32)
  (local.set $1
   (i32.const 0)
  )
  (if
   (i32.eqz
    (i32.ge_s
     (local.tee $0
      (i32.const 0)
     )
     (i32.const 16)
    )
   )
   (then
    (loop $next1
     (local.set $2
      (v128.load offset=1024
       (local.get $0)
      )
     )
     (local.set $3
      (v128.load offset=1040
       (local.get $0)
      )
     )
     (local.set $5
      (f32x4.add
       (local.get $3)
       (f32x4.mul
        (v128.const i32x4 0x38d1b717 0x38d1b717 0x38d1b717 0x38d1b717)
        (f32x4.div
         (f32x4.mul
          (v128.const i32x4 0x3ca3d70a 0x3ca3d70a 0x3ca3d70a 0x3ca3d70a)
          (f32x4.sub
           (f32x4.mul
            (v128.const i32x4 0x3e4ccccd 0x3e4ccccd 0x3e4ccccd 0x3e4ccccd)
            (local.get $2)
           )
           (local.get $3)
          )
         )
         (v128.const i32x4 0x3a83126f 0x3a83126f 0x3a83126f 0x3a83126f)
        )
       )
      )
     )
     (if
      (local.tee $6
       (i32x4.bitmask
        (local.tee $3
         (f32x4.ge
          (local.tee $2
           (f32x4.add
            (local.get $2)
            (f32x4.mul
             (v128.const i32x4 0x38d1b717 0x38d1b717 0x38d1b717 0x38d1b717)
             (f32x4.div
              (f32x4.add
               (f32x4.sub
                (f32x4.add
                 (f32x4.add
                  (f32x4.mul
                   (v128.const i32x4 0x3d23d70a 0x3d23d70a 0x3d23d70a 0x3d23d70a)
                   (f32x4.mul
                    (local.get $2)
                    (local.get $2)
                   )
                  )
                  (f32x4.mul
                   (v128.const i32x4 0x40a00000 0x40a00000 0x40a00000 0x40a00000)
                   (local.get $2)
                  )
                 )
                 (v128.const i32x4 0x430c0000 0x430c0000 0x430c0000 0x430c0000)
                )
                (local.get $3)
               )
               (v128.const i32x4 0x41200000 0x41200000 0x41200000 0x41200000)
              )
              (v128.const i32x4 0x3a83126f 0x3a83126f 0x3a83126f 0x3a83126f)
             )
            )
           )
          )
          (v128.const i32x4 0x41f00000 0x41f00000 0x41f00000 0x41f00000)
         )
        )
       )
      )
      (then
       (local.set $1
        (block (result i32)
         (if
          (i32.and
           (i32.and
            (local.get $6)
            (i32.const 1)
           )
           (i32.le_u
            (local.tee $4
             (i32.shr_u
              (local.get $0)
              (i32.const 2)
             )
            )
            (i32.const 0)
           )
          )
          (then
           (local.set $1
            (block (result i32)
             (i32.store offset=1056
              (i32.shl
               (local.get $1)
               (i32.const 2)
              )
              (local.get $4)
             )
             (i32.add
              (local.get $1)
              (i32.const 1)
             )
            )
           )
          )
         )
         (if
          (i32.and
           (i32.and
            (i32.shr_u
             (local.get $6)
             (i32.const 1)
            )
            (i32.const 1)
           )
           (i32.le_u
            (local.tee $7
             (i32.add
              (local.get $4)
              (i32.const 1)
             )
            )
            (i32.const 0)
           )
          )
          (then
           (local.set $1
            (block (result i32)
             (i32.store offset=1056
              (i32.shl
               (local.get $1)
               (i32.const 2)
              )
              (local.get $7)
             )
             (i32.add
              (local.get $1)
              (i32.const 1)
             )
            )
           )
          )
         )
         (if
          (i32.and
           (i32.and
            (i32.shr_u
             (local.get $6)
             (i32.const 2)
            )
            (i32.const 1)
           )
           (i32.le_u
            (local.tee $7
             (i32.add
              (local.get $4)
              (i32.const 2)
             )
            )
            (i32.const 0)
           )
          )
          (then
           (local.set $1
            (block (result i32)
             (i32.store offset=1056
              (i32.shl
               (local.get $1)
               (i32.const 2)
              )
              (local.get $7)
             )
             (i32.add
              (local.get $1)
              (i32.const 1)
             )
            )
           )
          )
         )
         (local.set $2
          (v128.bitselect
           (v128.const i32x4 0xc2820000 0xc2820000 0xc2820000 0xc2820000)
           (local.get $2)
           (local.get $3)
          )
         )
         (local.set $5
          (v128.bitselect
           (f32x4.add
            (local.get $5)
            (v128.const i32x4 0x41000000 0x41000000 0x41000000 0x41000000)
           )
           (local.get $5)
           (local.get $3)
          )
         )
         (if (result i32)
          (i32.and
           (i32.and
            (i32.shr_u
             (local.get $6)
             (i32.const 3)
            )
            (i32.const 1)
           )
           (i32.le_u
            (local.tee $4
             (i32.add
              (local.get $4)
              (i32.const 3)
             )
            )
            (i32.const 0)
           )
          )
          (then
           (i32.store offset=1056
            (i32.shl
             (local.get $1)
             (i32.const 2)
            )
            (local.get $4)
           )
           (i32.add
            (local.get $1)
            (i32.const 1)
           )
          )
          (else
           (local.get $1)
          )
         )
        )
       )
      )
     )
     (v128.store offset=1024
      (local.get $0)
      (local.get $2)
     )
     (v128.store offset=1040
      (local.get $0)
      (local.get $5)
     )
     (br_if $next1
      (i32.lt_s
       (local.tee $0
        (i32.add
         (local.get $0)
         (i32.const 16)
        )
       )
       (i32.const 16)
      )
     )
    )
   )
  )
  (i32.store
   (i32.const 1088)
   (local.get $1)
  )
 )
 (func $step (param $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (call $g0_step
   (local.get $0)
  )
  (i32.store
   (i32.const 1104)
   (i32.add
    (local.tee $1
     (i32.load
      (i32.const 1088)
     )
    )
    (i32.load
     (i32.const 1104)
    )
   )
  )
  (i32.store
   (i32.const 1096)
   (local.get $1)
  )
  (local.set $1
   (i32.load
    (i32.const 1112)
   )
  )
  (if
   (i32.eqz
    (i32.le_s
     (i32.load
      (i32.const 1088)
     )
     (local.tee $2
      (i32.const 0)
     )
    )
   )
   (then
    (loop $next1
     (i32.store
      (local.tee $3
       (i32.add
        (i32.shl
         (local.get $1)
         (i32.const 3)
        )
        (i32.const 1120)
       )
      )
      (local.get $0)
     )
     (i32.store offset=4
      (local.get $3)
      (i32.load
       (i32.add
        (i32.shl
         (local.get $2)
         (i32.const 2)
        )
        (i32.const 1056)
       )
      )
     )
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 1)
      )
     )
     (br_if $next1
      (i32.gt_s
       (i32.load
        (i32.const 1088)
       )
       (local.tee $2
        (i32.add
         (local.get $2)
         (i32.const 1)
        )
       )
      )
     )
    )
   )
  )
  (i32.store
   (i32.const 1112)
   (local.get $1)
  )
 )
 (func $run (param $0 i32) (param $1 i32) (result i32)
  (loop $run_loop1
   (block $run_done0
    (block
     (br_if $run_done0
      (i32.le_s
       (local.get $1)
       (local.get $0)
      )
     )
     (call $step
      (local.get $0)
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 1)
      )
     )
     (br_if $run_loop1
      (i32.eqz
       (i32.gt_s
        (i32.add
         (i32.load
          (i32.const 1112)
         )
         (i32.const 1)
        )
        (i32.const 65536)
       )
      )
     )
    )
   )
  )
  (local.get $0)
 )
)
