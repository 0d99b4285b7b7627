(module
 (type $0 (func (param f64) (result f64)))
 (type $1 (func (param i32)))
 (type $2 (func (param f64 f64) (result f64)))
 (type $3 (func (param i32 i32 i32 i32 i32 i32)))
 (type $4 (func (param i32 i32) (result i32)))
 (import "env" "memory" (memory $memory 202))
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
  (local $2 f64)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local.set $3
   (i32.const 0)
  )
  (if
   (i32.eqz
    (i32.ge_s
     (local.tee $1
      (i32.const 0)
     )
     (i32.const 32)
    )
   )
   (then
    (loop $next1
     (local.set $2
      (f64.load offset=1024
       (local.get $1)
      )
     )
     (local.set $2
      (select
       (local.get $2)
       (f64.add
        (f64.mul
         (local.get $2)
         (f64.const 0.990049833749168)
        )
        (f64.const -4.477574812874376e-04)
       )
       (local.tee $4
        (i32.lt_s
         (i32.sub
          (local.get $0)
          (i32.load offset=1056
           (i32.shr_u
            (local.get $1)
            (i32.const 1)
           )
          )
         )
         (i32.const 20)
        )
       )
      )
     )
     (f64.store offset=1024
      (local.get $1)
      (block (result f64)
       (if
        (local.tee $4
         (i32.and
          (i32.eqz
           (local.get $4)
          )
          (f64.gt
           (local.get $2)
           (f64.const -0.05)
          )
         )
        )
        (then
         (local.set $2
          (block (result f64)
           (if
            (i32.and
             (i32.le_u
              (local.tee $5
               (i32.shr_u
                (local.get $1)
                (i32.const 3)
               )
              )
              (i32.const 0)
             )
             (local.get $4)
            )
            (then
             (local.set $3
              (block (result i32)
               (i32.store offset=1072
                (i32.shl
                 (local.get $3)
                 (i32.const 2)
                )
                (local.get $5)
               )
               (i32.add
                (local.get $3)
                (i32.const 1)
               )
              )
             )
            )
           )
           (i32.store offset=1056
            (i32.shr_u
             (local.get $1)
             (i32.const 1)
            )
            (local.get $0)
           )
           (select
            (f64.const -0.065)
            (local.get $2)
            (local.get $4)
           )
          )
         )
        )
       )
       (local.get $2)
      )
     )
     (br_if $next1
      (i32.lt_s
       (local.tee $1
        (i32.add
         (local.get $1)
         (i32.const 8)
        )
       )
       (i32.const 32)
      )
     )
    )
   )
  )
  (i32.store
   (i32.const 1104)
   (local.get $3)
  )
 )
 (func $step (param $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (i32.store
   (i32.add
    (i32.shl
     (local.tee $1
      (i32.load
       (i32.const 525424)
      )
     )
     (i32.const 2)
    )
    (i32.const 8914048)
   )
   (local.get $0)
  )
  (local.set $2
   (i32.add
    (i32.shl
     (local.get $1)
     (i32.const 3)
    )
    (i32.const 525440)
   )
  )
  (if
   (i32.eqz
    (i32.gt_s
     (local.tee $3
      (i32.const 0)
     )
     (i32.const 0)
    )
   )
   (then
    (loop $next1
     (f64.store
      (i32.add
       (local.tee $4
        (i32.shl
         (local.get $3)
         (i32.const 3)
        )
       )
       (local.get $2)
      )
      (f64.load
       (i32.add
        (local.get $4)
        (i32.const 1024)
       )
      )
     )
     (br_if $next1
      (i32.le_s
       (local.tee $3
        (i32.add
         (local.get $3)
         (i32.const 1)
        )
       )
       (i32.const 0)
      )
     )
    )
   )
  )
  (i32.store
   (i32.const 525424)
   (i32.add
    (local.get $1)
    (i32.const 1)
   )
  )
  (call $g0_step
   (local.get $0)
  )
  (i32.store
   (i32.const 1120)
   (i32.add
    (local.tee $1
     (i32.load
      (i32.const 1104)
     )
    )
    (i32.load
     (i32.const 1120)
    )
   )
  )
  (i32.store
   (i32.const 1112)
   (local.get $1)
  )
  (local.set $1
   (i32.load
    (i32.const 1128)
   )
  )
  (if
   (i32.eqz
    (i32.le_s
     (i32.load
      (i32.const 1104)
     )
     (local.tee $2
      (i32.const 0)
     )
    )
   )
   (then
    (loop $next3
     (i32.store
      (local.tee $3
       (i32.add
        (i32.shl
         (local.get $1)
         (i32.const 3)
        )
        (i32.const 1136)
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
        (i32.const 1072)
       )
      )
     )
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 1)
      )
     )
     (br_if $next3
      (i32.gt_s
       (i32.load
        (i32.const 1104)
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
   (i32.const 1128)
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
       (i32.or
        (i32.gt_s
         (i32.add
          (i32.load
           (i32.const 1128)
          )
          (i32.const 1)
         )
         (i32.const 65536)
        )
        (i32.gt_s
         (i32.add
          (i32.load
           (i32.const 525424)
          )
          (i32.const 1)
         )
         (i32.const 1048576)
        )
       )
      )
     )
    )
   )
  )
  (local.get $0)
 )
)
